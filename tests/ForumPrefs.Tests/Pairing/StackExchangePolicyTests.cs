using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Pairing;

public sealed class StackExchangePolicyTests
{
    private static readonly Forum Site = new("stackexchange", "stats");

    [Theory]
    [InlineData(0, false, 0)]
    [InlineData(1, false, 1)]
    [InlineData(2, false, 2)] // log2(3) = 1.58
    [InlineData(7, false, 3)]
    [InlineData(7, true, 4)]
    [InlineData(-3, false, -1)]
    [InlineData(-3, true, -1)]
    [InlineData(100, false, 7)] // log2(101) = 6.66
    public void H4_scores_follow_the_published_formula(int score, bool accepted, int expected) =>
        Assert.Equal(expected, StackExchangePolicy.H4Score(score, accepted));

    private static List<PolicyPair> Build(StackExchangeOptions options, string? accepted, params Comment[] answers)
    {
        var post = Post() with { AcceptedAnswerId = accepted };
        var thread = CandidateThread.From(new ForumThread(Site, post, answers, T0.AddDays(30)));
        var pairs = new List<PolicyPair>();
        new StackExchangePolicy(options).Build(thread, new RejectionReport(), pairs);
        return pairs;
    }

    [Fact]
    public void Answers_pair_when_their_H4_scores_differ_and_acceptance_counts()
    {
        var a = Answer("a", 3, 10, body: "Answer a");   // H4 2
        var b = Answer("b", 2, 20, body: "Answer b");   // H4 2 (+1 if accepted)
        var c = Answer("c", -1, 30, body: "Answer c");  // H4 -1

        var plain = Build(new StackExchangeOptions(), null, a, b, c);
        var accepted = Build(new StackExchangeOptions(), "b", a, b, c);

        Assert.Equal(["a>c", "b>c"], plain.Select(p => $"{p.Preferred.Comment.Id}>{p.Other.Comment.Id}").Order());
        Assert.Equal(["a>c", "b>a", "b>c"], accepted.Select(p => $"{p.Preferred.Comment.Id}>{p.Other.Comment.Id}").Order());
        var bOverC = accepted.Single(p => p.Preferred.Comment.Id == "b" && p.Other.Comment.Id == "c");
        Assert.Equal(4, bOverC.Margin);
        Assert.Equal(3.0, bOverC.ScoreRatio); // (1 + 2) / (1 + 0)
    }

    [Fact]
    public void The_plain_SHP_rule_needs_the_preferred_answer_to_be_later()
    {
        var early = Answer("early", 50, 10, body: "Early and popular");
        var late = Answer("late", 10, 20, body: "Late and less popular");
        var later = Answer("later", 30, 30, body: "Later and better");

        var pairs = Build(new StackExchangeOptions { Rule = StackExchangeRule.Shp }, null, early, late, later);

        Assert.Equal(["later>late"], pairs.Select(p => $"{p.Preferred.Comment.Id}>{p.Other.Comment.Id}"));
    }

    [Fact]
    public void An_empty_answer_or_one_whose_score_was_hidden_is_skipped_under_its_own_rule()
    {
        var a = Answer("a", 3, 10, body: "Answer a");
        var c = Answer("c", -1, 30, body: "Answer c");
        var empty = Answer("empty", 9, 40, body: "");
        var hidden = Answer("hidden", 0, 50, body: "Answer hidden") with { ScoreHidden = true };
        var thread = CandidateThread.From(new ForumThread(Site, Post(), [a, c, empty, hidden], T0.AddDays(30)));
        var report = new RejectionReport();
        var pairs = new List<PolicyPair>();

        new StackExchangePolicy(new StackExchangeOptions()).Build(thread, report, pairs);

        Assert.Equal(["a>c"], pairs.Select(p => $"{p.Preferred.Comment.Id}>{p.Other.Comment.Id}"));
        Assert.Equal(1, report.Removed(RuleLevel.Comment, Rules.EmptyText));
        Assert.Equal(1, report.Removed(RuleLevel.Comment, Rules.ScoreUnknown));
        Assert.Equal(report.CommentsSeen, report.CommentsKept + report.Removed(RuleLevel.Comment));
        Assert.DoesNotContain(report.Rules, r => r.Rule == Rules.IdenticalTexts);
    }
}
