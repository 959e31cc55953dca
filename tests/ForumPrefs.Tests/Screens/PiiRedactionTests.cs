using ForumPrefs.Bench;
using ForumPrefs.Export.Redaction;
using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Screens;

/// <summary>Personal data in real answers: planted items of every kind are replaced, look-alikes, code and URLs are not.</summary>
public sealed class PiiRedactionTests
{
    private static PiiRedactor All(bool atMentions = false) => new(PiiKinds.All.ToHashSet(), atMentions);

    [Theory]
    [InlineData("write to jane.doe@gmail.com today", "write to <EMAIL> today")]
    [InlineData("call (415) 555-0198 or +44 20 7946 0958", "call <PHONE> or <PHONE>")]
    [InlineData("from 73.162.44.201 and 2001:db8::1", "from <IP> and <IP>")]
    [InlineData("thanks u/some_user and /u/Other-Name!", "thanks <USER> and <USER>!")]
    public void Each_kind_gets_its_placeholder(string text, string expected) => Assert.Equal(expected, All().Redact(text));

    [Theory]
    [InlineData("I run version 1.2.3.4 of it")]
    [InlineData("ISBN 978-3-16-148410-0")]
    [InlineData("on 2021-03-04 at 12:30:45")]
    [InlineData("at 40.7128, -74.0060")]
    [InlineData("see https://example.com/@author/192.168.1.1")]
    [InlineData("run `ssh grad@cluster.university.edu` first")]
    [InlineData("```\nhost = \"10.0.0.1\"\nmail = \"root@example.org\"\n```")]
    public void Look_alikes_code_and_urls_are_left_alone(string text) => Assert.Equal(text, All().Redact(text));

    [Fact]
    public void At_mentions_only_where_the_source_uses_them_and_none_turns_it_off()
    {
        Assert.Equal("ask @grad_helper", All().Redact("ask @grad_helper"));
        Assert.Equal("ask <USER>", All(atMentions: true).Redact("ask @grad_helper"));
        Assert.Equal("mail jane@uni.edu", new PiiRedactor(PiiKinds.Parse("none"), false).Redact("mail jane@uni.edu"));
        Assert.Equal("mail <EMAIL>, u/x_user", new PiiRedactor(PiiKinds.Parse("email"), false).Redact("mail jane@uni.edu, u/x_user"));
        Assert.Throws<ArgumentException>(() => PiiKinds.Parse("emails"));
    }

    [SkippableFact]
    public void On_real_answers_with_planted_items_recall_and_precision_are_high()
    {
        var answers = SampleTexts.Comments(Fixtures.File("reddit_college/RC_GradSchool.zst"), 600, minWords: 5);
        var result = PiiSample.Measure(answers);
        Assert.Equal(300, result.Planted);
        Assert.True(result.Recall >= 0.95, $"recall {result.Recall:P1}; missed {string.Join(" | ", result.Missed)}");
        Assert.True(result.Precision >= 0.95, $"precision {result.Precision:P1}; wrong {string.Join(" | ", result.Wrong)}");
    }
}
