using ForumPrefs.Store.Reads;
using ForumPrefs.Core;

namespace ForumPrefs.Store;

/// <summary>
/// Two policies' pairs of the same forum side by side: how many each built, how many answer pairs both built, on how
/// many of those they prefer the same answer, and how many only the second built.
/// </summary>
public sealed record PairComparison(string PolicyA, string PolicyB, Forum Forum, long PairsA, long PairsB, long InBoth, long Agree)
{
    public long OnlyB => PairsB - InBoth;
    public double? Agreement => InBoth == 0 ? null : (double)Agree / InBoth;

    public static PairComparison Of(ForumStore store, PairRun a, PairRun b)
    {
        // Two exact key lookups (same order, swapped) rather than one join on min/max, which scans each post's pairs.
        var (inBoth, agree) = store.Connection.Query("""
            SELECT count(*), coalesce(sum(agree), 0) FROM (
                SELECT 1 AS agree FROM pairs x JOIN pairs y ON y.run_id = $b AND y.post_pk = x.post_pk
                    AND y.preferred_pk = x.preferred_pk AND y.other_pk = x.other_pk
                WHERE x.run_id = $a
                UNION ALL
                SELECT 0 FROM pairs x JOIN pairs y ON y.run_id = $b AND y.post_pk = x.post_pk
                    AND y.preferred_pk = x.other_pk AND y.other_pk = x.preferred_pk
                WHERE x.run_id = $a)
            """, r => (r.GetInt64(0), r.GetInt64(1)), ("$a", a.Id), ("$b", b.Id)).Single();
        return new PairComparison(a.Policy, b.Policy, a.Forum, a.Pairs, b.Pairs, inBoth, agree);
    }
}
