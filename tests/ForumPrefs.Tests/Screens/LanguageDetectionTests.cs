using ForumPrefs.Pairing.Screens;

namespace ForumPrefs.Tests.Screens;

/// <summary>The language rules that keep short texts and links from being called a language they are not.</summary>
public sealed class LanguageDetectionTests
{
    private readonly LanguageDetection _detection = new();

    [Fact]
    public void Short_texts_are_undetermined_and_links_do_not_count_as_text()
    {
        Assert.Equal(LanguageDetection.Undetermined, _detection.Detect("Thank you so much, this helped!"));
        Assert.Equal(LanguageDetection.Undetermined, _detection.Detect("What field are you in? [View Poll](https://www.reddit.com/poll/q3g7qc/very/long/link/that/pads/the/text/past/the/limit/abcdefghij)"));
        Assert.Equal("en", _detection.Detect("I've heard lately that the German beer [Warsteiner](http://www.warsteiner.com/) does not fulfil the purity law and therefore may not be called a Pilsner."));
        Assert.Equal("de", _detection.Detect("Ich habe meine Doktorarbeit fast fertig geschrieben, aber mein Betreuer antwortet seit Wochen nicht mehr auf meine Nachrichten."));
    }
}
