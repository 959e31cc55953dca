namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// The step both policies share between comment rules and pair rules: keep at most N answers (the highest-scoring;
/// ties go to the earlier, then to the smaller id), count what was kept, and give up on posts with fewer than two
/// (their lone answer counted as removed, so every level of the report adds up).
/// </summary>
internal static class AnswerCap
{
    /// <returns>False when fewer than two answers are left (the post yields no pairs; counted).</returns>
    public static bool Apply(List<CandidateAnswer> eligible, int max, RejectionReport report)
    {
        if (eligible.Count > max)
        {
            eligible.Sort(HighestScoreFirst);
            report.Count(RuleLevel.Comment, Rules.OverCommentCap, eligible.Count - max);
            eligible.RemoveRange(max, eligible.Count - max);
        }
        if (eligible.Count < 2)
        {
            report.Count(RuleLevel.Post, Rules.TooFewAnswers);
            if (eligible.Count > 0)
                report.Count(RuleLevel.Comment, Rules.TooFewAnswers, eligible.Count);
            return false;
        }
        report.CommentsKept += eligible.Count;
        report.PostsKept++;
        return true;
    }

    private static int HighestScoreFirst(CandidateAnswer a, CandidateAnswer b)
    {
        var byScore = b.Comment.Score.CompareTo(a.Comment.Score);
        if (byScore != 0) return byScore;
        var byTime = a.Comment.Created.CompareTo(b.Comment.Created);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Comment.Id, b.Comment.Id);
    }
}
