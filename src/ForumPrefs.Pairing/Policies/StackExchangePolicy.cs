using ForumPrefs.Pairing.Screens;
using ForumPrefs.Core;

namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// Pairs answers to a Stack Exchange question. Scores can be zero or negative there, so the score ratio is taken
/// on (1 + max(score, 0)); the margin is the difference in the rule's own score.
/// </summary>
public sealed class StackExchangePolicy(StackExchangeOptions options, string name = PolicyChoice.StackExchange, PairScreen? screen = null) : IPairingPolicy
{
    public string Name => name;
    public object Options => options;

    /// <summary>H4's answer score: round(log2(1 + score)), plus one if accepted; a negative raw score gives −1.</summary>
    public static int H4Score(int score, bool accepted) =>
        score < 0 ? -1 : (int)Math.Round(Math.Log2(1 + score), MidpointRounding.AwayFromZero) + (accepted ? 1 : 0);

    public void Build(CandidateThread thread, RejectionReport report, List<PolicyPair> pairs)
    {
        report.PostsSeen++;
        report.CommentsSeen += thread.Answers.Count;
        var eligible = new List<CandidateAnswer>();
        foreach (var answer in thread.Answers)
        {
            var c = answer.Comment;
            if (!c.IsTopLevel && !options.AllRepliesAreAnswers) report.Count(RuleLevel.Comment, Rules.NotTopLevel);
            else if (DeletedContent.IsMarker(c.Body)) report.Count(RuleLevel.Comment, Rules.DeletedAuthor);
            else if (string.IsNullOrWhiteSpace(c.Body)) report.Count(RuleLevel.Comment, Rules.EmptyText);
            else if (c.ScoreHidden) report.Count(RuleLevel.Comment, Rules.ScoreUnknown);
            else if (options.MinScoreAgeHours > 0 && (answer.Observed - c.Created).TotalHours < options.MinScoreAgeHours)
                report.Count(RuleLevel.Comment, Rules.ScoreTooYoung);
            else eligible.Add(answer);
        }
        if (!AnswerCap.Apply(eligible, options.MaxAnswersPerPost, report))
            return;

        var start = pairs.Count;
        for (var i = 0; i < eligible.Count; i++)
        for (var j = i + 1; j < eligible.Count; j++)
        {
            report.CandidatePairs++;
            var (sx, sy) = (Score(thread.Post, eligible[i]), Score(thread.Post, eligible[j]));
            var (high, low, sHigh, sLow) = sx >= sy ? (eligible[i], eligible[j], sx, sy) : (eligible[j], eligible[i], sy, sx);
            var ratio = options.AcceptedBonus
                ? (1.0 + Math.Max(sHigh, 0)) / (1.0 + Math.Max(sLow, 0))
                : (1.0 + Math.Max(high.Comment.Score, 0)) / (1.0 + Math.Max(low.Comment.Score, 0));
            string? rule =
                sHigh == sLow ? Rules.EqualScores
                : options.Rule == StackExchangeRule.Shp && high.Comment.Created < low.Comment.Created ? Rules.PreferredEarlier
                : options.Rule == StackExchangeRule.Shp && ratio < options.MinScoreRatio ? Rules.RatioTooLow
                : options.DropIdenticalTexts && TextNormalizer.SameText(high.Comment.Body, low.Comment.Body) ? Rules.IdenticalTexts
                : (screen ?? PairScreen.None).Rule(high, low);
            if (rule is not null)
                report.Count(RuleLevel.Pair, rule);
            else
                pairs.Add(new PolicyPair(high, low, ratio, sHigh - sLow));
        }
        PairCap.Apply(pairs, start, options.MaxPairsPerPost, report);
        report.PairsKept += pairs.Count - start;
    }

    private int Score(Post post, CandidateAnswer answer) => options.Rule == StackExchangeRule.H4
        ? H4Score(answer.Comment.Score, answer.Comment.Id == post.AcceptedAnswerId)
        : answer.Comment.Score + (options.AcceptedBonus && answer.Comment.Id == post.AcceptedAnswerId ? 1 : 0);
}
