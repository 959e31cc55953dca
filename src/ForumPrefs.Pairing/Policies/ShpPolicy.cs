using ForumPrefs.Pairing.Screens;
using ForumPrefs.Core;

namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// SHP's rules: a later answer that still out-scores an earlier one was preferred. Post rules, then comment rules,
/// then pair rules; each removed item is counted under the first rule that removed it.
/// </summary>
public sealed class ShpPolicy(ShpOptions options, PairScreen? screen = null) : IPairingPolicy
{
    public string Name => PolicyChoice.Shp;
    public object Options => options;

    public void Build(CandidateThread thread, RejectionReport report, List<PolicyPair> pairs)
    {
        if (Eligible(options, thread, report) is not { } eligible)
            return;

        var start = pairs.Count;
        for (var i = 0; i < eligible.Count; i++)
        for (var j = i + 1; j < eligible.Count; j++)
        {
            report.CandidatePairs++;
            var (x, y) = (eligible[i], eligible[j]);
            var (high, low) = x.Comment.Score >= y.Comment.Score ? (x, y) : (y, x);
            var pairRule = PairRule(high, low);
            if (pairRule is not null)
            {
                report.Count(RuleLevel.Pair, pairRule);
                continue;
            }
            pairs.Add(new PolicyPair(high, low, Ratio(high.Comment.Score, low.Comment.Score), high.Comment.Score - low.Comment.Score));
        }
        PairCap.Apply(pairs, start, options.MaxPairsPerPost, report);
        report.PairsKept += pairs.Count - start;
    }

    /// <summary>
    /// SHP's post and comment rules and the answer cap, counted in the report: the answers left to pair, or null when
    /// the post gives no pairs. Shared with the common-window policy.
    /// </summary>
    internal static List<CandidateAnswer>? Eligible(ShpOptions options, CandidateThread thread, RejectionReport report)
    {
        report.PostsSeen++;
        report.CommentsSeen += thread.Answers.Count;
        if (PostRule(options, thread.Post) is { } postRule)
        {
            report.Count(RuleLevel.Post, postRule);
            report.Count(RuleLevel.Comment, Rules.PostRejected, thread.Answers.Count);
            return null;
        }
        var eligible = new List<CandidateAnswer>(thread.Answers.Count);
        foreach (var answer in thread.Answers)
        {
            if (CommentRule(options, thread.Post, answer) is { } rule)
                report.Count(RuleLevel.Comment, rule);
            else
                eligible.Add(answer);
        }
        return AnswerCap.Apply(eligible, options.MaxCommentsPerPost, report) ? eligible : null;
    }

    /// <summary>SHP's post rules.</summary>
    internal static string? PostRule(ShpOptions options, Post post)
    {
        if (options.SelfPostsOnly && !post.IsSelf) return Rules.LinkPost;
        if (options.ExcludeEditedPosts && post.Edited is not null) return Rules.EditedPost;
        if (options.ExcludeNsfw && post.Over18) return Rules.Nsfw;
        if (options.CreatedBefore is { } cutoff && post.Created >= cutoff) return Rules.CreatedAfterCutoff;
        if (options.ExcludeDeletedOrModeratorPostAuthor && (post.Author == DeletedContent.Deleted || post.Distinguished is not null))
            return Rules.PostAuthorDeletedOrModerator;
        if (post.Score < options.MinPostScore) return Rules.PostScoreTooLow;
        return null;
    }

    /// <summary>SHP's comment rules.</summary>
    internal static string? CommentRule(ShpOptions options, Post post, CandidateAnswer answer)
    {
        var c = answer.Comment;
        if (options.TopLevelOnly && !c.IsTopLevel) return Rules.NotTopLevel;
        if (options.ExcludeDeletedCommentAuthors && (c.Author == DeletedContent.Deleted || DeletedContent.IsMarker(c.Body)))
            return Rules.DeletedAuthor;
        if (string.IsNullOrWhiteSpace(c.Body)) return Rules.EmptyText;
        if (options.ExcludeModeratorComments && c.Distinguished is not null) return Rules.Moderator;
        if (options.ExcludePostAuthorComments && (c.IsSubmitter || c.Author == post.Author)) return Rules.ByPostAuthor;
        if (c.ScoreHidden) return Rules.ScoreUnknown;
        if (c.Score < options.MinCommentScore) return Rules.CommentScoreTooLow;
        if (options.MinScoreAgeHours > 0 && (answer.Observed - c.Created).TotalHours < options.MinScoreAgeHours) return Rules.ScoreTooYoung;
        return null;
    }

    private string? PairRule(CandidateAnswer high, CandidateAnswer low)
    {
        if (high.Comment.Score == low.Comment.Score) return Rules.EqualScores;
        if (options.RequirePreferredLater && high.Comment.Created < low.Comment.Created) return Rules.PreferredEarlier;
        if (Ratio(high.Comment.Score, low.Comment.Score) < options.MinScoreRatio) return Rules.RatioTooLow;
        if (options.DropIdenticalTexts && TextNormalizer.SameText(high.Comment.Body, low.Comment.Body)) return Rules.IdenticalTexts;
        return (screen ?? PairScreen.None).Rule(high, low);
    }

    /// <summary>
    /// SHP's preferred / other. SHP's rule (comment score ≥ 2) never meets a score below 1; with --min-comment-score
    /// lower, both scores are shifted so the other is 1 — (preferred + 1 − other) / 1 — which is finite, at least 1
    /// for a preferred score above the other, and equal to SHP's ratio where the other is 1.
    /// </summary>
    public static double Ratio(int preferred, int other) =>
        other >= 1 ? (double)preferred / other : (double)preferred + 1 - other;
}
