using ForumPrefs.Core;
using Microsoft.Data.Sqlite;
using static ForumPrefs.Store.Reads.Db;

namespace ForumPrefs.Store.Reads;

/// <summary>A stored comment with what only the store knows: when its score was read, its true quality (simulated forums), its key.</summary>
public sealed record StoredComment(Comment Comment, DateTimeOffset Observed, double? Quality, long Key)
{
    /// <summary>Every score sighting in time order, when the thread was read with its timelines (else null).</summary>
    public IReadOnlyList<(DateTimeOffset At, int Score)>? Timeline { get; init; }
}

/// <summary>A stored post with all its stored comments.</summary>
public sealed record StoredThread(Forum Forum, Post Post, long Key, IReadOnlyList<StoredComment> Comments);

/// <summary>
/// Streams a forum's threads, one post with all its comments at a time. Posts and comments are read in two ordered
/// scans (both served by the unique indexes) and merged by post id, so nothing is held but one thread.
/// </summary>
internal static class ThreadReader
{
    public static IEnumerable<StoredThread> Read(SqliteConnection connection, Forum forum)
    {
        if (ForumId(connection, forum) is not { } forumId)
            yield break;

        using var posts = Command(connection, """
            SELECT pk, id, title, body, author, score, upvote_ratio, created_utc, edited_utc, over_18, is_self,
                   distinguished, url, num_comments, accepted_answer_id, meta
            FROM posts WHERE forum_id = $forum ORDER BY id
            """, ("$forum", forumId));
        using var comments = Command(connection, """
            SELECT c.post_id, c.pk, c.id, c.parent_id, c.depth, c.body, c.author, c.score, c.created_utc, c.edited_utc,
                   c.distinguished, c.stickied, c.is_submitter, c.observed_utc, g.quality, c.score_hidden, c.meta
            FROM comments c LEFT JOIN ground_truth g ON g.comment_pk = c.pk
            WHERE c.forum_id = $forum ORDER BY c.post_id, c.id
            """, ("$forum", forumId));

        using var postReader = posts.ExecuteReader();
        using var commentReader = comments.ExecuteReader();
        var hasComment = commentReader.Read();
        while (postReader.Read())
        {
            var post = ReadPost(postReader);
            var answers = new List<StoredComment>();
            // Skip comments of posts that are not stored (a dump can bring comments before their post).
            while (hasComment && string.CompareOrdinal(commentReader.GetString(0), post.Id) < 0)
                hasComment = commentReader.Read();
            while (hasComment && commentReader.GetString(0) == post.Id)
            {
                answers.Add(ReadComment(commentReader));
                hasComment = commentReader.Read();
            }
            yield return new StoredThread(forum, post, postReader.GetInt64(0), answers);
        }
    }

    public static long? ForumId(SqliteConnection connection, Forum forum) =>
        connection.Query("SELECT id FROM forums WHERE source = $source AND name = $name", r => (long?)r.GetInt64(0),
            ("$source", forum.Source), ("$name", forum.Name)).FirstOrDefault();

    private static Post ReadPost(SqliteDataReader r) => new(
        Id: r.GetString(1), Title: r.GetString(2), Body: r.GetString(3), Author: r.GetString(4), Score: r.GetInt32(5),
        UpvoteRatio: r.IsDBNull(6) ? null : r.GetDouble(6), Created: Time(r.GetInt64(7)),
        Edited: r.IsDBNull(8) ? null : Time(r.GetInt64(8)), Over18: r.GetInt64(9) != 0, IsSelf: r.GetInt64(10) != 0,
        Distinguished: r.IsDBNull(11) ? null : r.GetString(11), Url: r.IsDBNull(12) ? null : r.GetString(12),
        NumComments: r.GetInt32(13), AcceptedAnswerId: r.IsDBNull(14) ? null : r.GetString(14))
    { Meta = r.IsDBNull(15) ? null : r.GetString(15) };

    private static StoredComment ReadComment(SqliteDataReader r)
    {
        var comment = new Comment(
            Id: r.GetString(2), PostId: r.GetString(0), ParentId: r.GetString(3), Depth: r.GetInt32(4),
            Body: r.GetString(5), Author: r.GetString(6), Score: r.GetInt32(7), Created: Time(r.GetInt64(8)),
            Edited: r.IsDBNull(9) ? null : Time(r.GetInt64(9)), Distinguished: r.IsDBNull(10) ? null : r.GetString(10),
            Stickied: r.GetInt64(11) != 0, IsSubmitter: r.GetInt64(12) != 0)
        { ScoreHidden = r.GetInt64(15) != 0, Meta = r.IsDBNull(16) ? null : r.GetString(16) };
        return new StoredComment(comment, Time(r.GetInt64(13)), r.IsDBNull(14) ? null : r.GetDouble(14), r.GetInt64(1));
    }
}
