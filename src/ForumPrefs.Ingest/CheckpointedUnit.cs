using ForumPrefs.Core;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>Units fetched whole (a post's tree, a topic) stored once each, under their own checkpoint.</summary>
public static class CheckpointedUnit
{
    /// <summary>
    /// Fetches one unit and stores it with its checkpoint in one transaction; false, fetching nothing, when its
    /// checkpoint exists, and (within a --refresh <paramref name="pass"/>) was written by that pass.
    /// </summary>
    public static async Task<bool> StoreOnceAsync<TState>(ForumStore store, string source, string key, string? pass,
        Func<Task<(ForumThread Thread, TState State)>> fetch) where TState : IngestState, new()
    {
        var batch = new CheckpointedBatch<TState>(store, source, key, batchItems: 1);
        if (batch.WasStored && (pass is null || batch.State.Pass == pass))
            return false;
        var (thread, state) = await fetch();
        state.Pass = pass;
        batch.State = state;
        batch.Add(thread);
        batch.Complete();
        return true;
    }
}
