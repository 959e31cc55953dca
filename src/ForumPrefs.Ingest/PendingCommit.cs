using ForumPrefs.Core;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>
/// One batch's items and the checkpoint that goes with them (see <see cref="CheckpointedBatch{TState}.Take"/>), or,
/// without a checkpoint, a part of a batch of posts and comments (<see cref="CheckpointedBatch{TState}.TakeChunk"/>).
/// </summary>
public sealed record PendingCommit(
    IReadOnlyList<ForumThread> Threads,
    IReadOnlyList<(Forum, Post, DateTimeOffset)> Posts,
    IReadOnlyList<(Forum, Comment, DateTimeOffset)> Comments,
    IReadOnlyList<(Forum Forum, ScoreSighting Sighting)> Sightings,
    Checkpoint? Checkpoint)
{
    /// <summary>Writes the items; the checkpoint goes with the last write, so the state never runs ahead of the store.</summary>
    public void WriteTo(ForumStore store)
    {
        if (Checkpoint is null)
        {
            // A part of a batch: written into the open transaction, committed by the part that carries the checkpoint.
            if (Threads.Count + Sightings.Count > 0)
                throw new InvalidOperationException("only posts and comments are handed over in parts");
            store.WriteItems(Posts, Comments, null, commit: false);
            return;
        }
        var groups = Sightings.GroupBy(s => s.Forum).ToList();
        if (Threads.Count > 0)
            store.WriteThreads(Threads, Posts.Count + Comments.Count + groups.Count == 0 ? Checkpoint : null);
        if (Posts.Count + Comments.Count > 0 || (Threads.Count == 0 && groups.Count == 0))
            store.WriteItems(Posts, Comments, groups.Count == 0 ? Checkpoint : null);
        for (var g = 0; g < groups.Count; g++)
            store.WriteSightings(groups[g].Key, groups[g].Select(s => s.Sighting), g == groups.Count - 1 ? Checkpoint : null);
    }
}
