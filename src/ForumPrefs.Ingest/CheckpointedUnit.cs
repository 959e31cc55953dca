using ForumPrefs.Core;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>Units fetched whole (a post's tree, a topic) stored once each, under their own checkpoint.</summary>
public static class CheckpointedUnit
{
    /// <summary>
    /// Fetches one unit and stores it with its checkpoint in one transaction; false, fetching nothing, when its
    /// checkpoint exists and was written after <paramref name="refreshSince"/> (null: whenever it was written).
    /// </summary>
    public static async Task<bool> StoreOnceAsync<TState>(ForumStore store, string source, string key, DateTimeOffset? refreshSince,
        Func<Task<(ForumThread Thread, TState State)>> fetch) where TState : IngestState, new()
    {
        var batch = new CheckpointedBatch<TState>(store, source, key, batchItems: 1);
        if (batch.StoredAt is { } at && (refreshSince is null || at > refreshSince))
            return false;
        var (thread, state) = await fetch();
        batch.State = state;
        batch.Add(thread);
        batch.Complete();
        return true;
    }
}
