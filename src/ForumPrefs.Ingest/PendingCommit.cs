using ForumPrefs.Core;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>One batch's items and the checkpoint that goes with them (see <see cref="CheckpointedBatch{TState}.Take"/>).</summary>
public sealed record PendingCommit(
    IReadOnlyList<ForumThread> Threads,
    IReadOnlyList<(Forum, Post, DateTimeOffset)> Posts,
    IReadOnlyList<(Forum, Comment, DateTimeOffset)> Comments,
    IReadOnlyList<(Forum Forum, ScoreSighting Sighting)> Sightings,
    Checkpoint Checkpoint)
{
    /// <summary>Writes the items; the checkpoint goes with the last write, so the state never runs ahead of the store.</summary>
    public void WriteTo(ForumStore store)
    {
        var groups = Sightings.GroupBy(s => s.Forum).ToList();
        if (Threads.Count > 0)
            store.WriteThreads(Threads, Posts.Count + Comments.Count + groups.Count == 0 ? Checkpoint : null);
        if (Posts.Count + Comments.Count > 0 || (Threads.Count == 0 && groups.Count == 0))
            store.WriteItems(Posts, Comments, groups.Count == 0 ? Checkpoint : null);
        for (var g = 0; g < groups.Count; g++)
            store.WriteSightings(groups[g].Key, groups[g].Select(s => s.Sighting), g == groups.Count - 1 ? Checkpoint : null);
    }
}
