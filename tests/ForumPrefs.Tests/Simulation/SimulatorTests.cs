using ForumPrefs.Core;
using ForumPrefs.Sources.Simulation;

namespace ForumPrefs.Tests.Simulation;

public sealed class SimulatorTests
{
    private static readonly SimulatorSettings Defaults = new() { Seed = 7, Forums = ["eli5", "askscience"] };

    // One sample shared by the rate tests: big enough that a 3-sigma band is a few tenths of a percent.
    private static readonly Lazy<IReadOnlyList<ForumThread>> Sample =
        new(() => new ForumSimulator(Defaults).Threads(0, 4000).ToList());

    [Fact]
    public void The_same_seed_gives_the_same_threads_and_another_seed_does_not()
    {
        var first = new ForumSimulator(Defaults).Threads(0, 50).Select(Describe).ToList();
        var again = new ForumSimulator(Defaults).Threads(0, 50).Select(Describe).ToList();
        var other = new ForumSimulator(Defaults with { Seed = 8 }).Threads(0, 50).Select(Describe).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_thread_depends_only_on_its_index_so_runs_can_resume_anywhere()
    {
        var simulator = new ForumSimulator(Defaults);
        var inOneGo = simulator.Threads(0, 30).Select(Describe).ToList();
        var resumed = simulator.Threads(0, 12).Concat(simulator.Threads(12, 30)).Select(Describe).ToList();

        Assert.Equal(inOneGo, resumed);
    }

    [Fact]
    public void Threads_are_dealt_to_the_forums_in_turn()
    {
        var forums = Sample.Value.Take(10).Select(t => t.Forum.Name).ToList();
        Assert.Equal(["eli5", "askscience", "eli5", "askscience", "eli5"], forums.Take(5));
        Assert.All(Sample.Value, t => Assert.Equal("simulator", t.Forum.Source));
    }

    [Theory]
    [InlineData("link posts", 0.10)]
    [InlineData("nsfw posts", 0.03)]
    [InlineData("edited posts", 0.08)]
    [InlineData("deleted post authors", 0.03)]
    [InlineData("moderator posts", 0.01)]
    public void Post_rates_land_near_their_settings(string what, double expected)
    {
        var posts = Sample.Value.Select(t => t.Post).ToList();
        Func<Post, bool> has = what switch
        {
            "link posts" => p => !p.IsSelf,
            "nsfw posts" => p => p.Over18,
            "edited posts" => p => p.Edited is not null,
            "deleted post authors" => p => p.Author == DeletedContent.Deleted,
            _ => p => p.Distinguished == "moderator",
        };
        AssertRate(posts.Count(has), posts.Count, expected);
    }

    [Theory]
    [InlineData("deleted authors", 0.04 + 0.02)]
    [InlineData("removed bodies", 0.02)]
    [InlineData("moderator answers", 0.01)]
    [InlineData("replies by the post's author", 0.05)]
    public void Answer_rates_land_near_their_settings(string what, double expected)
    {
        // Top-level answers other than the stickied AutoModerator notice.
        var answers = Sample.Value.SelectMany(t => t.Comments.Where(c => c.IsTopLevel && !c.Stickied)
            .Select(c => (Thread: t, Comment: c))).ToList();
        Func<(ForumThread Thread, Comment Comment), bool> has = what switch
        {
            "deleted authors" => a => a.Comment.Author == DeletedContent.Deleted,
            "removed bodies" => a => a.Comment.Body == DeletedContent.Removed,
            "moderator answers" => a => a.Comment.Distinguished == "moderator",
            _ => a => a.Comment.IsSubmitter,
        };
        // Replies by the post's author cannot happen when the post's author is deleted.
        var eligible = what.StartsWith("replies", StringComparison.Ordinal) ? answers.Where(a => a.Thread.Post.Author != DeletedContent.Deleted).ToList() : answers;
        AssertRate(eligible.Count(has), eligible.Count, expected);
    }

    [Fact]
    public void Nested_replies_low_scores_and_early_observations_all_occur()
    {
        var comments = Sample.Value.SelectMany(t => t.Comments).ToList();
        Assert.InRange(comments.Count(c => c.Depth > 0) / (double)comments.Count, 0.15, 0.6);
        Assert.Contains(comments, c => c.Depth >= 2);
        Assert.All(comments.Where(c => c.Depth > 0), c => Assert.NotEqual(c.PostId, c.ParentId));
        Assert.InRange(comments.Count(c => c.IsTopLevel && c.Score < 2) / (double)comments.Count(c => c.IsTopLevel), 0.1, 0.7);
        var early = Sample.Value.Count(t => t.Observed - t.Post.Created < TimeSpan.FromHours(36));
        AssertRate(early, Sample.Value.Count, Defaults.EarlyObservationRate);
        Assert.Contains(Sample.Value, t => t.Comments.Count(c => c.IsTopLevel) > 50);
    }

    [Fact]
    public void Early_answers_often_outscore_later_better_answers()
    {
        long laterClearlyBetter = 0, earlierStillWins = 0;
        foreach (var thread in Sample.Value.Where(t => t.Observed - t.Post.Created > TimeSpan.FromDays(3)))
        {
            var answers = thread.Comments.Where(c => thread.GroundTruth!.ContainsKey(c.Id)).OrderBy(c => c.Created).ToList();
            for (var i = 0; i < answers.Count; i++)
            for (var j = i + 1; j < answers.Count; j++)
            {
                if (thread.GroundTruth![answers[j].Id] < thread.GroundTruth[answers[i].Id] + 0.2)
                    continue;
                laterClearlyBetter++;
                if (answers[i].Score > answers[j].Score)
                    earlierStillWins++;
            }
        }
        var rate = earlierStillWins / (double)laterClearlyBetter;
        Assert.True(laterClearlyBetter > 1000, $"only {laterClearlyBetter} pairs");
        // Exposure beats quality often enough that the time rule matters, but not always.
        Assert.InRange(rate, 0.25, 0.9);
    }

    [Fact]
    public void Words_carry_quality_while_length_is_only_weakly_tied_to_it()
    {
        var answers = Sample.Value.SelectMany(t => t.Comments
            .Where(c => t.GroundTruth!.ContainsKey(c.Id) && !DeletedContent.IsMarker(c.Body))
            .Select(c => (Quality: t.GroundTruth![c.Id], c.Body))).ToList();
        var careful = answers.Select(a => CarefulShare(a.Body)).ToArray();
        var lengths = answers.Select(a => (double)a.Body.Length).ToArray();
        var quality = answers.Select(a => a.Quality).ToArray();

        Assert.True(Correlation(careful, quality) > 0.5, $"words vs quality r={Correlation(careful, quality):F2}");
        Assert.InRange(Correlation(lengths, quality), -0.15, 0.2);
    }

    [Fact]
    public void A_later_observation_changes_scores_but_never_text()
    {
        var simulator = new ForumSimulator(Defaults);
        var early = simulator.Threads(0, 200).ToList();
        var later = simulator.Threads(0, 200, laterHours: 24 * 7).ToList();

        var changedScores = 0;
        for (var t = 0; t < early.Count; t++)
        {
            var laterById = later[t].Comments.ToDictionary(c => c.Id);
            Assert.True(later[t].Comments.Count >= early[t].Comments.Count);
            foreach (var comment in early[t].Comments)
            {
                var seenLater = laterById[comment.Id];
                Assert.Equal(comment.Body, seenLater.Body);
                Assert.Equal(comment.Created, seenLater.Created);
                if (seenLater.Score != comment.Score)
                    changedScores++;
            }
        }
        Assert.True(changedScores > 0);
    }

    private static void AssertRate(int hits, int total, double expected)
    {
        var sigma = Math.Sqrt(expected * (1 - expected) / total);
        var observed = hits / (double)total;
        Assert.True(Math.Abs(observed - expected) <= 4 * sigma + 0.002,
            $"rate {observed:P2} over {total} items, expected {expected:P2} ± {4 * sigma:P2}");
    }

    private static double CarefulShare(string body)
    {
        string[] markers = ["key reason", "For example", "In other words", "This happens because", "Measurements", "To be precise", "Imagine a crowd", "Scientists tested"];
        string[] sloppy = ["lol", "Idk", "google it", "I think maybe", "It just does", "My uncle", "Not sure but", "Same question"];
        double good = markers.Sum(m => Count(body, m)), bad = sloppy.Sum(m => Count(body, m));
        return good + bad == 0 ? 0.5 : good / (good + bad);
    }

    private static int Count(string text, string marker)
    {
        var count = 0;
        for (var i = text.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    private static string Describe(ForumThread thread) =>
        $"{thread.Forum}|{thread.Post}|{thread.Observed}|" + string.Join(";", thread.Comments.Select(c => c.ToString()));
}
