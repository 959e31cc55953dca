using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Pairing;

/// <summary>Each SHP rule removes exactly what it should and nothing else, on threads built here.</summary>
public sealed class ShpPolicyTests
{
    private static readonly DateTimeOffset Observed = T0.AddDays(5);

    // A clean thread: three answers, later ones scoring higher, so all three pairs survive every rule.
    private static readonly Comment Early = Answer("early", 4, 10, body: "An early answer.", author: "ann");
    private static readonly Comment Middle = Answer("middle", 9, 60, body: "A middle answer.", author: "ben");
    private static readonly Comment Late = Answer("late", 20, 120, body: "A late answer.", author: "cat");

    private static (List<PolicyPair> Pairs, RejectionReport Report) Build(Post post, IEnumerable<Comment> comments,
        ShpOptions? options = null, DateTimeOffset? observed = null)
    {
        var thread = CandidateThread.From(new ForumThread(Support.Threads.Forum, post, comments.ToList(), observed ?? Observed));
        var report = new RejectionReport();
        var pairs = new List<PolicyPair>();
        new ShpPolicy(options ?? new ShpOptions()).Build(thread, report, pairs);
        return (pairs, report);
    }

    private static string[] Describe(IEnumerable<PolicyPair> pairs) =>
        pairs.Select(p => $"{p.Preferred.Comment.Id}>{p.Other.Comment.Id}").Order().ToArray();

    [Fact]
    public void A_clean_thread_gives_every_later_higher_pair_with_ratio_and_margin()
    {
        var (pairs, report) = Build(Post(), [Early, Middle, Late]);

        Assert.Equal(["late>early", "late>middle", "middle>early"], Describe(pairs));
        Assert.Empty(report.Rules);
        var lateOverEarly = pairs.Single(p => p.Preferred.Comment.Id == "late" && p.Other.Comment.Id == "early");
        Assert.Equal(5.0, lateOverEarly.ScoreRatio);
        Assert.Equal(16, lateOverEarly.Margin);
        Assert.Equal((1, 1, 3, 3, 3, 3), (report.PostsSeen, report.PostsKept, report.CommentsSeen, report.CommentsKept, report.CandidatePairs, report.PairsKept));
    }

    public static TheoryData<string, Post, ShpOptions> PostCases => new()
    {
        { Rules.LinkPost, Post() with { IsSelf = false }, new ShpOptions() },
        { Rules.EditedPost, Post() with { Edited = T0.AddHours(1) }, new ShpOptions() },
        { Rules.Nsfw, Post() with { Over18 = true }, new ShpOptions() },
        { Rules.CreatedAfterCutoff, Post(), new ShpOptions { CreatedBefore = T0 } },
        { Rules.PostAuthorDeletedOrModerator, Post() with { Author = DeletedContent.Deleted }, new ShpOptions() },
        { Rules.PostAuthorDeletedOrModerator, Post() with { Distinguished = "moderator" }, new ShpOptions() },
        { Rules.PostScoreTooLow, Post(score: 9), new ShpOptions() },
    };

    [Theory]
    [MemberData(nameof(PostCases))]
    public void A_post_rule_removes_the_post_and_its_comments_under_that_rule(string rule, Post post, ShpOptions options)
    {
        var (pairs, report) = Build(post, [Early, Middle, Late], options);

        Assert.Empty(pairs);
        Assert.Equal([new RuleCount(RuleLevel.Post, rule, 1), new RuleCount(RuleLevel.Comment, Rules.PostRejected, 3)], report.Rules);
        Assert.Equal(report.CommentsSeen, report.CommentsKept + report.Removed(RuleLevel.Comment));
    }

    [Fact]
    public void Post_rules_can_each_be_switched_off()
    {
        var lax = new ShpOptions { SelfPostsOnly = false, ExcludeEditedPosts = false, ExcludeNsfw = false, ExcludeDeletedOrModeratorPostAuthor = false, MinPostScore = 0 };
        var post = Post(score: 1) with { IsSelf = false, Edited = T0.AddHours(1), Over18 = true, Author = DeletedContent.Deleted };

        Assert.Equal(3, Build(post, [Early, Middle, Late], lax).Pairs.Count);
        Assert.Equal(3, Build(Post(), [Early, Middle, Late], new ShpOptions { CreatedBefore = T0.AddDays(1) }).Pairs.Count);
    }

    public static TheoryData<string, Comment> CommentCases => new()
    {
        { Rules.NotTopLevel, Reply("reply", Early, score: 50) with { Author = "dan", IsSubmitter = false } },
        { Rules.DeletedAuthor, Answer("gone", 50, 200, author: DeletedContent.Deleted) },
        { Rules.DeletedAuthor, Answer("removed", 50, 200, body: DeletedContent.Removed, author: "eve") },
        { Rules.Moderator, Answer("mod", 50, 200, author: "mod") with { Distinguished = "moderator" } },
        { Rules.ByPostAuthor, Answer("op", 50, 200, author: "asker") },
        { Rules.ByPostAuthor, Answer("op2", 50, 200, author: "someone") with { IsSubmitter = true } },
        { Rules.CommentScoreTooLow, Answer("low", 1, 200, author: "fay") },
        { Rules.EmptyText, Answer("empty", 50, 200, body: "  ", author: "gil") },
        { Rules.ScoreUnknown, Answer("hidden", 0, 200, author: "hank") with { ScoreHidden = true } },
    };

    [Theory]
    [MemberData(nameof(CommentCases))]
    public void A_comment_rule_removes_that_comment_and_leaves_the_other_pairs(string rule, Comment bad)
    {
        var (pairs, report) = Build(Post(), [Early, Middle, Late, bad]);

        Assert.Equal(["late>early", "late>middle", "middle>early"], Describe(pairs));
        Assert.Equal([new RuleCount(RuleLevel.Comment, rule, 1)], report.Rules);
        Assert.Equal(report.CommentsSeen, report.CommentsKept + report.Removed(RuleLevel.Comment));
    }

    [Fact]
    public void Every_level_of_the_report_adds_up()
    {
        var report = new RejectionReport();
        var policy = new ShpPolicy(new ShpOptions { MaxCommentsPerPost = 3, MaxPairsPerPost = 2 });
        var pairs = new List<PolicyPair>();
        var lone = Answer("lone", 40, 300, author: "jo");
        var threads = new[]
        {
            (Post(), new[] { Early, Middle, Late, Answer("fourth", 30, 400, author: "kim"), Answer("low", 1, 500, author: "lu") }),
            (Post("p2") with { Over18 = true }, [Early with { PostId = "p2", ParentId = "p2" }]),
            (Post("p3"), [lone with { PostId = "p3", ParentId = "p3" }, Answer("gone", 9, 20, "p3", author: DeletedContent.Deleted)]),
        }.Select(t => CandidateThread.From(new ForumThread(Support.Threads.Forum, t.Item1, t.Item2, Observed)));
        foreach (var thread in threads)
            policy.Build(thread, report, pairs);

        Assert.Equal(report.PostsSeen, report.PostsKept + report.Removed(RuleLevel.Post));
        Assert.Equal(report.CommentsSeen, report.CommentsKept + report.Removed(RuleLevel.Comment));
        Assert.Equal(report.CandidatePairs, report.PairsKept + report.Removed(RuleLevel.Pair));
        Assert.Equal(1, report.Removed(RuleLevel.Comment, Rules.TooFewAnswers));
        Assert.Equal(1, report.Removed(RuleLevel.Comment, Rules.PostRejected));
        Assert.Equal(1, report.Removed(RuleLevel.Comment, Rules.OverCommentCap));
        Assert.Equal(2, report.PairsKept);
    }

    [Fact]
    public void Scores_read_too_soon_are_skipped_and_counted_and_the_rule_can_be_turned_off()
    {
        // Observed 40 hours after the post: "late" (written at 2 h) has had 38 h, "fresh" (written at 10 h) only 30 h.
        var fresh = Answer("fresh", 50, 600, author: "gus");
        var observed = T0.AddHours(40);

        var (pairs, report) = Build(Post(), [Early, Middle, Late, fresh], observed: observed);
        var (allPairs, _) = Build(Post(), [Early, Middle, Late, fresh], new ShpOptions { MinScoreAgeHours = 0 }, observed);

        Assert.Equal(["late>early", "late>middle", "middle>early"], Describe(pairs));
        Assert.Equal([new RuleCount(RuleLevel.Comment, Rules.ScoreTooYoung, 1)], report.Rules);
        Assert.Equal(6, allPairs.Count);
    }

    [Fact]
    public void Equal_scores_give_no_pair()
    {
        var twin = Answer("twin", 9, 90, body: "Another answer.", author: "hal");
        var (pairs, report) = Build(Post(), [Early, Middle, Late, twin]);

        Assert.DoesNotContain(pairs, p => p.Preferred.Comment.Id == "twin" && p.Other.Comment.Id == "middle");
        Assert.DoesNotContain(pairs, p => p.Preferred.Comment.Id == "middle" && p.Other.Comment.Id == "twin");
        Assert.Equal(1, report.Removed(RuleLevel.Pair, Rules.EqualScores));
        Assert.Equal(["late>early", "late>middle", "late>twin", "middle>early", "twin>early"], Describe(pairs));
    }

    [Fact]
    public void An_earlier_answer_with_the_higher_score_gives_no_pair_unless_the_time_rule_is_off()
    {
        var first = Answer("first", 100, 1, body: "The very first answer.", author: "ida");
        var (pairs, report) = Build(Post(), [first, Late]);
        var (noRule, _) = Build(Post(), [first, Late], new ShpOptions { RequirePreferredLater = false });

        Assert.Empty(pairs);
        Assert.Equal([new RuleCount(RuleLevel.Pair, Rules.PreferredEarlier, 1)], report.Rules);
        Assert.Equal(["first>late"], Describe(noRule));
    }

    [Fact]
    public void Answers_written_at_the_same_second_can_pair()
    {
        var sameTime = Answer("same", 30, 120, body: "Same time, better.", author: "jo");
        var (pairs, _) = Build(Post(), [Late, sameTime]);
        Assert.Equal(["same>late"], Describe(pairs));
    }

    [Fact]
    public void The_minimum_ratio_removes_weaker_pairs()
    {
        var (pairs, report) = Build(Post(), [Early, Middle, Late], new ShpOptions { MinScoreRatio = 2.2 });

        // 9/4 = 2.25 and 20/4 = 5 pass; 20/9 = 2.22 passes; a ratio of 2.3 would remove 20/9 only.
        Assert.Equal(3, pairs.Count);
        var (strict, strictReport) = Build(Post(), [Early, Middle, Late], new ShpOptions { MinScoreRatio = 2.23 });
        Assert.Equal(["late>early", "middle>early"], Describe(strict));
        Assert.Equal([new RuleCount(RuleLevel.Pair, Rules.RatioTooLow, 1)], strictReport.Rules);
        Assert.Empty(report.Rules);
    }

    [Fact]
    public void Identical_texts_after_whitespace_normalisation_are_dropped()
    {
        var copy = Answer("copy", 40, 200, body: "  An   early\nanswer. ", author: "kim");
        var (pairs, report) = Build(Post(), [Early, Middle, Late, copy]);

        Assert.DoesNotContain(pairs, p => p.Preferred.Comment.Id == "copy" && p.Other.Comment.Id == "early");
        Assert.Equal([new RuleCount(RuleLevel.Pair, Rules.IdenticalTexts, 1)], report.Rules);
        Assert.True(TextNormalizer.SameText("a  b\n", " a b"));
        Assert.False(TextNormalizer.SameText("a b", "ab"));
    }

    [Fact]
    public void The_pair_cap_keeps_the_strongest_ratios()
    {
        var (pairs, report) = Build(Post(), [Early, Middle, Late], new ShpOptions { MaxPairsPerPost = 2 });

        Assert.Equal(["late>early", "middle>early"], Describe(pairs)); // ratios 5 and 2.25 beat 2.22
        Assert.Equal([new RuleCount(RuleLevel.Pair, Rules.OverPairCap, 1)], report.Rules);
    }

    [Fact]
    public void Only_the_50_highest_scoring_answers_are_considered()
    {
        var answers = Enumerable.Range(0, 60).Select(i => Answer($"a{i:00}", 2 + i, i, body: $"Answer number {i}.", author: $"u{i}")).ToList();
        var (pairs, report) = Build(Post(), answers);

        Assert.Equal(10, report.Removed(RuleLevel.Comment, Rules.OverCommentCap));
        var used = pairs.SelectMany(p => new[] { p.Preferred.Comment.Id, p.Other.Comment.Id }).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(10, 50).Select(i => $"a{i:00}"), used);
        Assert.Equal(50 * 49 / 2, pairs.Count);
    }

    [Theory]
    [InlineData(5, 1, 5.0)]
    [InlineData(6, 2, 3.0)]
    [InlineData(5, 0, 6.0)]
    [InlineData(1, 0, 2.0)]
    [InlineData(0, -3, 4.0)]
    [InlineData(-1, -2, 2.0)]
    public void Score_ratio_is_finite_for_scores_of_zero_and_below(int preferred, int other, double expected)
    {
        var ratio = ShpPolicy.Ratio(preferred, other);

        Assert.Equal(expected, ratio);
        Assert.True(double.IsFinite(ratio) && ratio >= 1);
    }
}
