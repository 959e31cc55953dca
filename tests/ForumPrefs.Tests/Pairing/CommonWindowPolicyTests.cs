using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Pairing;

/// <summary>The common-window rule on hand-made timelines: what it decides, and what it refuses to guess.</summary>
public sealed class CommonWindowPolicyTests
{
    private static readonly CommonWindowOptions Options = new() { Exclusions = new ShpOptions { MinCommentScore = 0 }, MinWindowHours = 24 };

    private static CandidateAnswer Answer(string id, int minutesAfterPost, int finalScore, params (double Hours, int Score)[] sightings) =>
        new(Support.Threads.Answer(id, finalScore, minutesAfterPost, body: $"Answer {id}", author: $"author_{id}"), T0.AddDays(30))
        {
            Timeline = sightings.Select(s => (T0.AddHours(s.Hours), s.Score)).ToList(),
        };

    private static (List<PolicyPair> Pairs, RejectionReport Report) Build(params CandidateAnswer[] answers)
    {
        var thread = new CandidateThread(Support.Threads.Forum, Post(), answers);
        var report = new RejectionReport();
        var pairs = new List<PolicyPair>();
        new CommonWindowPolicy(Options).Build(thread, report, pairs);
        return (pairs, report);
    }

    [Fact]
    public void The_later_answer_that_wins_the_window_is_preferred_with_its_window_votes()
    {
        // x is written at 0 h, y at 10 h. x's score at 10 h lies between its sightings at 6 h (5) and 12 h (9).
        var x = Answer("x", 0, 20, (0, 1), (6, 5), (12, 9), (48, 20));
        var y = Answer("y", 600, 30, (10, 1), (48, 30));

        var (pairs, report) = Build(x, y);

        var pair = Assert.Single(pairs);
        Assert.Equal("y", pair.Preferred.Comment.Id);
        Assert.Equal(new PairWindow(29, 15, 38 * 3600), pair.Window);
        Assert.Equal(29 - (20 - 5), pair.Margin); // the lead that holds anywhere in the bracket
        Assert.Equal(1, report.PairsKept);
    }

    [Fact]
    public void An_earlier_answer_that_also_wins_the_window_is_kept_where_SHP_drops_it()
    {
        var x = Answer("x", 0, 40, (0, 1), (10, 3), (48, 40));
        var y = Answer("y", 600, 5, (10, 1), (48, 5));

        var (pairs, _) = Build(x, y);
        var shp = new List<PolicyPair>();
        new ShpPolicy(new ShpOptions { MinCommentScore = 0, MinScoreAgeHours = 0 }).Build(new CandidateThread(Support.Threads.Forum, Post(), [x, y]), new RejectionReport(), shp);

        Assert.Equal("x", Assert.Single(pairs).Preferred.Comment.Id);
        Assert.Empty(shp);

        // --window-later-wins keeps only the pairs the later answer won (the earlier one is shown higher meanwhile).
        var laterOnly = new List<PolicyPair>();
        var report = new RejectionReport();
        new CommonWindowPolicy(Options with { LaterWinsOnly = true }).Build(new CandidateThread(Support.Threads.Forum, Post(), [x, y]), report, laterOnly);
        Assert.Empty(laterOnly);
        Assert.Equal(1, report.Removed(RuleLevel.Pair, Rules.WindowEarlierWon));
    }

    [Fact]
    public void A_lead_the_brackets_do_not_settle_is_not_guessed()
    {
        // x's score at 10 h is anywhere from 2 to 20: y's 12 window votes may be more or fewer than x's.
        var x = Answer("x", 0, 30, (0, 1), (6, 2), (20, 20), (48, 30));
        var y = Answer("y", 600, 13, (10, 1), (48, 13));

        var (pairs, report) = Build(x, y);

        Assert.Empty(pairs);
        Assert.Equal(1, report.Removed(RuleLevel.Pair, Rules.WindowUndecided));
    }

    [Theory]
    [InlineData(30.0, Rules.WindowTooShort)]   // both last seen 20 h after y was written: shorter than 24 h
    [InlineData(-1.0, Rules.WindowNotObserved)] // x has no sighting after y was written
    public void Windows_that_are_too_short_or_not_observed_are_counted(double lastHours, string rule)
    {
        var x = lastHours > 0 ? Answer("x", 0, 9, (0, 1), (lastHours, 9)) : Answer("x", 0, 9, (0, 1), (5, 9));
        var y = Answer("y", 600, 4, (10, 1), (lastHours > 0 ? lastHours : 48, 4));

        var (pairs, report) = Build(x, y);

        Assert.Empty(pairs);
        Assert.Equal(1, report.Removed(RuleLevel.Pair, rule));
        Assert.Equal(report.CandidatePairs, report.PairsKept + report.Removed(RuleLevel.Pair));
    }
}
