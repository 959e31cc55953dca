using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>
/// A --refresh that keeps its progress: the pass has an id, checkpointed when it begins, and every unit it stores
/// carries that id in its own checkpoint, so a killed or failed refresh resumes where it stopped instead of fetching
/// everything again. A finished pass lets the next --refresh start a new one.
/// </summary>
public sealed class RefreshPass
{
    public sealed class PassState : IngestState
    {
        public string Id { get; set; } = "";
    }

    private readonly CheckpointedBatch<PassState> _batch;

    private RefreshPass(CheckpointedBatch<PassState> batch) => _batch = batch;

    /// <summary>Units whose checkpoints carry another pass (or none) are fetched again.</summary>
    public string Id => _batch.State.Id;

    /// <summary>A new pass's id.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>True when this pass picks up one a kill or failure left unfinished.</summary>
    public bool Resumed { get; private init; }

    /// <param name="units">What the pass refreshes (its key is their hash, so another set is another pass).</param>
    public static RefreshPass Begin(ForumStore store, string source, string scope, IEnumerable<string> units)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join('\n', units.Order(StringComparer.Ordinal)))))[..16];
        var batch = new CheckpointedBatch<PassState>(store, source, $"refresh:{scope}:{hash}", batchItems: 1);
        var resumed = batch.WasStored && !batch.State.Done;
        if (!resumed)
        {
            batch.State = new PassState { Id = NewId() };
            batch.Commit();
        }
        return new RefreshPass(batch) { Resumed = resumed };
    }

    public void Finish() => _batch.Complete();
}
