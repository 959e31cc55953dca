namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// Keeps at most N pairs of one post: the strongest first (score ratio, or the margin for policies whose margin is the
/// decision, like common-window), then by ids, so the choice is deterministic.
/// </summary>
internal static class PairCap
{
    public static void Apply(List<PolicyPair> pairs, int start, int? cap, RejectionReport report, bool byMargin = false)
    {
        var count = pairs.Count - start;
        if (cap is not { } max || count <= max)
            return;
        pairs.Sort(start, count, Comparer<PolicyPair>.Create((a, b) =>
        {
            var byRatio = byMargin ? b.Margin.CompareTo(a.Margin) : b.ScoreRatio.CompareTo(a.ScoreRatio);
            if (byRatio != 0) return byRatio;
            var byPreferred = string.CompareOrdinal(a.Preferred.Comment.Id, b.Preferred.Comment.Id);
            return byPreferred != 0 ? byPreferred : string.CompareOrdinal(a.Other.Comment.Id, b.Other.Comment.Id);
        }));
        report.Count(RuleLevel.Pair, Rules.OverPairCap, count - max);
        pairs.RemoveRange(start + max, count - max);
    }
}
