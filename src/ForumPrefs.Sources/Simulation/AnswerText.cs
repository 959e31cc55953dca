namespace ForumPrefs.Sources.Simulation;

/// <summary>
/// Writes titles, bodies and answers. An answer's words carry its hidden quality (careful explanation vs.
/// hand-waving), while its length depends on quality only weakly, so "the longer answer wins" explains little.
/// </summary>
internal static class AnswerText
{
    private static readonly string[] Subjects =
    [
        "the sky", "airplanes", "vaccines", "black holes", "credit scores", "batteries", "tides", "rainbows",
        "bread dough", "glaciers", "interest rates", "compilers", "earthquakes", "microwaves", "bees", "volcanoes",
        "muscles", "the stock market", "satellites", "coffee", "magnets", "fever", "clouds", "elections",
        "submarines", "solar panels", "yawning", "inflation", "hiccups", "the internet",
    ];

    private static readonly string[] Questions =
    [
        "Why do {0} work the way they do?", "How do {0} actually work?", "What makes {0} behave like that?",
        "Why are {0} so hard to predict?", "What is really going on with {0}?", "How did people figure out {0}?",
    ];

    private static readonly string[] Careful =
    [
        "The key reason is that {0} depend on a balance of forces, and that balance shifts over time.",
        "For example, when you look at {0} closely, each part does one specific job in sequence.",
        "In other words, {0} follow a simple rule once you see the underlying mechanism.",
        "This happens because energy has to go somewhere, and with {0} it is stored and then released.",
        "Measurements over many years show that {0} change in a predictable, well documented way.",
        "To be precise, the effect comes from pressure differences, which is why {0} respond to temperature.",
        "Imagine a crowd passing through a narrow door: {0} behave the same way when the flow is limited.",
        "Scientists tested this directly, and the evidence shows {0} respond to the same cause every time.",
    ];

    private static readonly string[] Sloppy =
    [
        "Honestly {0} are just like that and nobody really knows why, it is one of those things lol.",
        "Idk, probably something to do with magic or whatever, {0} are weird and I would not worry about it.",
        "Just google it, there is a video about {0} somewhere that explains it, or maybe it was a meme.",
        "I think maybe {0} do it because they want to, but I am not sure at all and did not check anything.",
        "It just does, {0} have always been that way and always will be, there is nothing more to it really.",
        "My uncle said {0} are a conspiracy by big companies, so make of that what you will, I guess.",
        "Not sure but {0} are probably overrated anyway, who cares tbh, people make a big deal out of nothing.",
        "Same question here, {0} confuse me too, upvote this so that someone who actually knows can answer.",
    ];

    private static readonly string[] Chatter =
    [
        "Good point.", "This is the right answer.", "Source?", "Thanks, that helped a lot!", "I never thought of that.",
        "Not quite, but close.", "Came here to say this.", "Can you explain the second part?",
    ];

    public static (string Subject, string Title) Title(Random random)
    {
        var subject = Pick(random, Subjects);
        return (subject, string.Format(Pick(random, Questions), subject));
    }

    public static string PostBody(Random random, string subject) =>
        $"I have always wondered about {subject}. Every explanation I find is either too technical or too vague. " +
        $"Could someone explain it simply? {Pick(random, Chatter)}";

    /// <summary>Each sentence is careful with probability equal to the quality; the count barely depends on it.</summary>
    public static string Answer(Random random, string subject, double quality)
    {
        var sentences = 1 + Draws.Poisson(random, 2.5 + 0.5 * quality);
        var parts = new string[sentences];
        for (var i = 0; i < sentences; i++)
            parts[i] = string.Format(Pick(random, random.NextDouble() < quality ? Careful : Sloppy), subject);
        return string.Join(' ', parts);
    }

    public static string Reply(Random random) => Pick(random, Chatter);

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
