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
    private const string Merge = """
        SET score = CASE WHEN {0} THEN $score WHEN $at > observed_utc THEN $score
                         WHEN $at = observed_utc THEN max(score, $score) ELSE score END,
            observed_utc = CASE WHEN {0} THEN $at ELSE max(observed_utc, $at) END,
            first_score = CASE WHEN {0} THEN $score WHEN $at < first_observed_utc THEN $score
                               WHEN $at = first_observed_utc THEN max(first_score, $score) ELSE first_score END,
            first_observed_utc = CASE WHEN {0} THEN $at ELSE min(first_observed_utc, $at) END
        """;

    private readonly PreparedCommand _comment;
    private readonly PreparedCommand _commentSnapshot;
    private readonly PreparedCommand _post;
    private readonly PreparedCommand _postSnapshot;

    public ScoreSightingWriter(SqliteConnection connection)
    {
        _comment = new PreparedCommand(connection, "UPDATE comments " + string.Format(Merge, "score_hidden") +
            ", score_hidden = 0 WHERE forum_id = $forum AND post_id = $post AND id = $id");
        _commentSnapshot = new PreparedCommand(connection, """
            INSERT INTO score_snapshots(item_kind, item_pk, observed_utc, score)
            SELECT 'comment', pk, $at, $score FROM comments
            WHERE forum_id = $forum AND post_id = $post AND id = $id AND first_observed_utc <> $at
            ON CONFLICT(item_kind, item_pk, observed_utc) DO UPDATE SET score = max(score, excluded.score)
            """);
        // Posts have no hidden scores.
        _post = new PreparedCommand(connection, "UPDATE posts " + string.Format(Merge, "0") + " WHERE forum_id = $forum AND id = $id");
        _postSnapshot = new PreparedCommand(connection, """
            INSERT INTO score_snapshots(item_kind, item_pk, observed_utc, score)
            SELECT 'post', pk, $at, $score FROM posts WHERE forum_id = $forum AND id = $id AND first_observed_utc <> $at
            ON CONFLICT(item_kind, item_pk, observed_utc) DO UPDATE SET score = max(score, excluded.score)
            """);
    }

    /// <returns>False when the item is not stored (the sighting is not kept).</returns>
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
    }
}
