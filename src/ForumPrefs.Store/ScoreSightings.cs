using ForumPrefs.Store.Reads;
using ForumPrefs.Core;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>A score seen at a time, without the rest of the item: a vote timeline point (Votes.xml, the simulator).</summary>
public sealed record ScoreSighting(bool IsPost, string PostId, string Id, DateTimeOffset At, int Score);

/// <summary>An item of a forum as vote timelines need it: which post it belongs to and when it was written.</summary>
public sealed record ItemKey(bool IsPost, string PostId, string Id, DateTimeOffset Created);

/// <summary>
/// Score sightings of stored items, merged exactly as a full sighting's score would be (the newest is the row's score,
/// the earliest its first_score, every other one a row of score_snapshots), so they can arrive in any order too; and
/// the timelines of a post's comments read back for the policies that compare votes over time.
/// </summary>
internal sealed class ScoreSightingWriter : IDisposable
{
    private readonly PreparedCommand _comment;
    private readonly PreparedCommand _commentSnapshot;
    private readonly PreparedCommand _post;
    private readonly PreparedCommand _postSnapshot;
    private readonly PreparedCommand _pend;
    private readonly PreparedCommand _hasPending;
    private readonly SqliteConnection _connection;

    public ScoreSightingWriter(SqliteConnection connection)
    {
        _connection = connection;
        _pend = new PreparedCommand(connection, """
            INSERT INTO pending_sightings VALUES($forum, $isPost, $post, $id, $at, $score)
            ON CONFLICT DO UPDATE SET score = max(score, excluded.score)
            """);
        _hasPending = new PreparedCommand(connection, "SELECT EXISTS(SELECT 1 FROM pending_sightings)");
        // A score-only sighting is never hidden; it fills a row whose score was. Posts have no hidden scores.
        _comment = new PreparedCommand(connection, "UPDATE comments SET " + ScoreMerge.Assignments("comments.", "$score", "$at", "0", "comments.score_hidden") +
            ", score_hidden = 0 WHERE forum_id = $forum AND post_id = $post AND id = $id");
        _commentSnapshot = new PreparedCommand(connection, """
            INSERT INTO score_snapshots(item_kind, item_pk, observed_utc, score)
            SELECT 'comment', pk, $at, $score FROM comments
            WHERE forum_id = $forum AND post_id = $post AND id = $id AND first_observed_utc <> $at
            """ + ScoreMerge.SnapshotConflict);
        _post = new PreparedCommand(connection, "UPDATE posts SET " + ScoreMerge.Assignments("posts.", "$score", "$at", "0", "0") +
            " WHERE forum_id = $forum AND id = $id");
        _postSnapshot = new PreparedCommand(connection, """
            INSERT INTO score_snapshots(item_kind, item_pk, observed_utc, score)
            SELECT 'post', pk, $at, $score FROM posts WHERE forum_id = $forum AND id = $id AND first_observed_utc <> $at
            """ + ScoreMerge.SnapshotConflict);
    }

    /// <summary>Applies the sighting, or keeps it pending until its item is stored.</summary>
    /// <returns>False when the item is not stored yet.</returns>
    public bool WriteOrPend(long forumId, ScoreSighting s)
    {
        if (Write(forumId, s))
            return true;
        _pend.Set("$forum", forumId).Set("$isPost", s.IsPost).Set("$post", s.PostId).Set("$id", s.Id)
            .Set("$at", s.At.ToUnixTimeSeconds()).Set("$score", (long)s.Score).Run();
        return false;
    }

    /// <summary>Applies the pending sightings whose items are stored now (called after each batch of items).</summary>
    public void ApplyPending(SqliteTransaction transaction)
    {
        if (_hasPending.Long() == 0)
            return;
        var ready = transaction.Query("""
            SELECT s.forum_id, s.is_post, s.post_id, s.id, s.observed_utc, s.score FROM pending_sightings s
            WHERE (s.is_post = 1 AND EXISTS (SELECT 1 FROM posts p WHERE p.forum_id = s.forum_id AND p.id = s.id))
               OR (s.is_post = 0 AND EXISTS (SELECT 1 FROM comments c WHERE c.forum_id = s.forum_id AND c.post_id = s.post_id AND c.id = s.id))
            """, r => (Forum: r.GetInt64(0), Sighting: new ScoreSighting(r.GetInt64(1) == 1, r.GetString(2), r.GetString(3), Db.Time(r.GetInt64(4)), r.GetInt32(5))))
            .ToList();
        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM pending_sightings WHERE forum_id = $forum AND is_post = $isPost AND post_id = $post AND id = $id AND observed_utc = $at";
        foreach (var (forum, sighting) in ready)
        {
            Write(forum, sighting);
            delete.Parameters.Clear();
            delete.Parameters.AddWithValue("$forum", forum);
            delete.Parameters.AddWithValue("$isPost", sighting.IsPost);
            delete.Parameters.AddWithValue("$post", sighting.PostId);
            delete.Parameters.AddWithValue("$id", sighting.Id);
            delete.Parameters.AddWithValue("$at", sighting.At.ToUnixTimeSeconds());
            delete.ExecuteNonQuery();
        }
    }

    /// <returns>False when the item is not stored (the sighting is not applied).</returns>
    public bool Write(long forumId, ScoreSighting s)
    {
        var at = s.At.ToUnixTimeSeconds();
        if (s.IsPost)
        {
            if (_post.Set("$forum", forumId).Set("$id", s.Id).Set("$at", at).Set("$score", (long)s.Score).Run() == 0)
                return false;
            _postSnapshot.Set("$forum", forumId).Set("$id", s.Id).Set("$at", at).Set("$score", (long)s.Score).Run();
            return true;
        }
        if (_comment.Set("$forum", forumId).Set("$post", s.PostId).Set("$id", s.Id).Set("$at", at).Set("$score", (long)s.Score).Run() == 0)
            return false;
        _commentSnapshot.Set("$forum", forumId).Set("$post", s.PostId).Set("$id", s.Id).Set("$at", at).Set("$score", (long)s.Score).Run();
        return true;
    }

    public void Dispose()
    {
        _comment.Dispose();
        _commentSnapshot.Dispose();
        _post.Dispose();
        _postSnapshot.Dispose();
        _pend.Dispose();
        _hasPending.Dispose();
    }
}
