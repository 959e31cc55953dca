using ForumPrefs.Store.Reads;
using ForumPrefs.Core;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>What a store holds: counts per forum, score snapshots and the checkpoints of resumable jobs.</summary>
public sealed record StoreStats(
    int SchemaVersion,
    IReadOnlyList<ForumCounts> Forums,
    long Snapshots,
    IReadOnlyList<Checkpoint> Checkpoints,
    IReadOnlyList<SkippedCount> Skipped)
{
    public static StoreStats Read(ForumStore store)
    {
        var forums = store.Connection.Query("""
            SELECT f.source, f.name,
                   (SELECT count(*) FROM posts p WHERE p.forum_id = f.id),
                   (SELECT count(*) FROM comments c WHERE c.forum_id = f.id),
                   (SELECT count(*) FROM comments c WHERE c.forum_id = f.id AND c.body IN ('[deleted]', '[removed]'))
            FROM forums f ORDER BY f.source, f.name
            """, r => new ForumCounts(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4))).ToList();
        var checkpoints = store.Connection.Query("SELECT source, key, state, updated_utc FROM checkpoints ORDER BY source, key",
            r => new Checkpoint(r.GetString(0), r.GetString(1), r.GetString(2), Db.Time(r.GetInt64(3)))).ToList();

        return new StoreStats(store.SchemaVersion, forums, store.Connection.Count("SELECT count(*) FROM score_snapshots"), checkpoints, SumSkipped(checkpoints));
    }

    /// <summary>Skip counts that ingest jobs keep in their checkpoints (a "skipped" object of kind → count).</summary>
    private static List<SkippedCount> SumSkipped(IEnumerable<Checkpoint> checkpoints)
    {
        var totals = new SortedDictionary<(string Source, string Kind), long>();
        foreach (var checkpoint in checkpoints)
        {
            if (!checkpoint.State.StartsWith('{'))
                continue;
            using var state = System.Text.Json.JsonDocument.Parse(checkpoint.State);
            if (!state.RootElement.TryGetProperty("skipped", out var skipped) || skipped.ValueKind != System.Text.Json.JsonValueKind.Object)
                continue;
            foreach (var kind in skipped.EnumerateObject())
                totals[(checkpoint.Source, kind.Name)] = totals.GetValueOrDefault((checkpoint.Source, kind.Name)) + kind.Value.GetInt64();
        }
        return totals.Where(t => t.Value > 0).Select(t => new SkippedCount(t.Key.Source, t.Key.Kind, t.Value)).ToList();
    }
}

public sealed record SkippedCount(string Source, string Kind, long Records);

public sealed record ForumCounts(string Source, string Forum, long Posts, long Comments, long RemovedComments);
