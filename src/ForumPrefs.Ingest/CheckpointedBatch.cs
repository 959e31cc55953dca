using ForumPrefs.Core;
using ForumPrefs.Store;
using System.Text.Json;

namespace ForumPrefs.Ingest;

/// <summary>
/// The skeleton every ingest plugs into. It reads the unit's checkpoint state (or starts a new one), gathers what the
/// source reads, and commits it with the state in the same transaction: a killed ingest restarts at its last commit
/// with the counts of that commit, so it ends with the same store and the same report as an uninterrupted run.
/// </summary>
public sealed class CheckpointedBatch<TState> where TState : IngestState, new()
{
    private static readonly JsonSerializerOptions Json = JsonDefaults.SnakeCase;

    private readonly ForumStore _store;
    private readonly List<ForumThread> _threads = [];
    private readonly List<(Forum, Post, DateTimeOffset)> _posts = [];
    private readonly List<(Forum, Comment, DateTimeOffset)> _comments = [];
    private readonly List<(Forum Forum, ScoreSighting Sighting)> _sightings = [];

    /// <param name="fresh">Start over even when a checkpoint exists (a --refresh).</param>
    public CheckpointedBatch(ForumStore store, string source, string key, int batchItems, bool fresh = false)
    {
        _store = store;
        Source = source;
        Key = key;
        BatchItems = batchItems;
        var saved = fresh ? null : store.GetCheckpoint(source, key);
        State = saved is null ? new TState() : JsonSerializer.Deserialize<TState>(saved.State, Json) ?? new TState();
        WasStored = saved is not null;
        WasDone = State.Done;
    }

    public string Source { get; }
    public string Key { get; }
    public int BatchItems { get; }
    public TState State { get; set; }
    /// <summary>A checkpoint existed when this run began.</summary>
    public bool WasStored { get; }
    /// <summary>The unit was finished before this run began.</summary>
    public bool WasDone { get; }

    public int Pending => _threads.Count + _posts.Count + _comments.Count + _sightings.Count;
    /// <summary>Items since the last checkpoint, whether still pending or already handed over in chunks.</summary>
    public bool Full => Pending + _handedOver >= BatchItems;
    private int _handedOver;

    public void Add(ForumThread thread) => _threads.Add(thread);
    public void Add(Forum forum, Post post, DateTimeOffset observed) => _posts.Add((forum, post, observed));
    public void Add(Forum forum, Comment comment, DateTimeOffset observed) => _comments.Add((forum, comment, observed));
    public void Add(Forum forum, ScoreSighting sighting) => _sightings.Add((forum, sighting));

    /// <summary>Writes what is pending; the checkpoint goes with the last write, so the state never runs ahead of the store.</summary>
    public void Commit() => Take().WriteTo(_store);

    /// <summary>
    /// What is pending with the state as it is now, handed over whole (to a writer on another thread, <c>--jobs</c>);
    /// the batch starts empty again.
    /// </summary>
    public PendingCommit Take() =>
        Hand(new Checkpoint(Source, Key, JsonSerializer.Serialize(State, Json), DateTimeOffset.UtcNow));

    /// <summary>
    /// What is pending, without a checkpoint: part of a batch, written into the transaction its last part commits
    /// (<see cref="PendingCommit.Checkpoint"/> null). Handing a batch over in parts keeps few items alive at once.
    /// </summary>
    public PendingCommit TakeChunk()
    {
        _handedOver += Pending;
        return Hand(null);
    }

    private PendingCommit Hand(Checkpoint? checkpoint)
    {
        var commit = new PendingCommit([.. _threads], [.. _posts], [.. _comments], [.. _sightings], checkpoint);
        if (checkpoint is not null)
            _handedOver = 0;
        _threads.Clear();
        _posts.Clear();
        _comments.Clear();
        _sightings.Clear();
        return commit;
    }

    /// <summary>Marks the unit finished and commits.</summary>
    public void Complete()
    {
        State.Done = true;
        Commit();
    }
}
