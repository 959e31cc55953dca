using ForumPrefs.Core;
using ForumPrefs.Store;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Pairing;

/// <summary>
/// Streams a forum's threads from the store, one post with all its comments at a time. Posts and comments are read
/// in two ordered scans (both served by the unique indexes) and merged by post id, so nothing is held but one thread.
/// </summary>
public static class CandidateReader
{
    public static IEnumerable<CandidateThread> Read(ForumStore store, Forum forum, bool withTimelines = false)
    {
        var forumId = ForumId(store, forum);
        if (forumId is null)
            yield break;

        using var posts = store.Connection.CreateCommand();
        posts.CommandText = """
            SELECT pk, id, title, body, author, score, upvote_ratio, created_utc, edited_utc, over_18, is_self,
                   distinguished, url, num_comments, accepted_answer_id
            FROM posts WHERE forum_id = $forum ORDER BY id
            """;
        posts.Parameters.AddWithValue("$forum", forumId);
        using var comments = store.Connection.CreateCommand();
        comments.CommandText = """
            SELECT c.post_id, c.pk, c.id, c.parent_id, c.depth, c.body, c.author, c.score, c.created_utc, c.edited_utc,
                   c.distinguished, c.stickied, c.is_submitter, c.observed_utc, g.quality, c.score_hidden
            FROM comments c LEFT JOIN ground_truth g ON g.comment_pk = c.pk
            WHERE c.forum_id = $forum ORDER BY c.post_id, c.id
            """;
        comments.Parameters.AddWithValue("$forum", forumId);

        using var postReader = posts.ExecuteReader();
        using var commentReader = comments.ExecuteReader();
        var hasComment = commentReader.Read();
        while (postReader.Read())
        {
            var post = ReadPost(postReader);
            var answers = new List<CandidateAnswer>();
            // Skip comments of posts that are not stored (a dump can bring comments before their post).
            while (hasComment && string.CompareOrdinal(commentReader.GetString(0), post.Id) < 0)
                hasComment = commentReader.Read();
            while (hasComment && commentReader.GetString(0) == post.Id)
            {
                answers.Add(ReadAnswer(commentReader));
                hasComment = commentReader.Read();
            }
            if (withTimelines && answers.Count > 1)
            {
                var timelines = store.CommentTimelines(forumId.Value, post.Id);
                answers = answers.Select(a => a with { Timeline = timelines.GetValueOrDefault(a.Comment.Id) }).ToList();
            }
            yield return new CandidateThread(forum, post, answers, postReader.GetInt64(0));
        }
    }

    public static IReadOnlyList<Forum> Forums(ForumStore store)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = "SELECT source, name FROM forums ORDER BY source, name";
        using var reader = command.ExecuteReader();
        var forums = new List<Forum>();
        while (reader.Read())
            forums.Add(new Forum(reader.GetString(0), reader.GetString(1)));
        return forums;
    }

    internal static long? ForumId(ForumStore store, Forum forum)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = "SELECT id FROM forums WHERE source = $source AND name = $name";
        command.Parameters.AddWithValue("$source", forum.Source);
        command.Parameters.AddWithValue("$name", forum.Name);
        return command.ExecuteScalar() is long id ? id : null;
    }

    private static Post ReadPost(SqliteDataReader r) => new(
        Id: r.GetString(1), Title: r.GetString(2), Body: r.GetString(3), Author: r.GetString(4), Score: r.GetInt32(5),
        UpvoteRatio: r.IsDBNull(6) ? null : r.GetDouble(6), Created: Time(r.GetInt64(7)),
        Edited: r.IsDBNull(8) ? null : Time(r.GetInt64(8)), Over18: r.GetInt64(9) != 0, IsSelf: r.GetInt64(10) != 0,
        Distinguished: r.IsDBNull(11) ? null : r.GetString(11), Url: r.IsDBNull(12) ? null : r.GetString(12),
        NumComments: r.GetInt32(13), AcceptedAnswerId: r.IsDBNull(14) ? null : r.GetString(14));

    private static CandidateAnswer ReadAnswer(SqliteDataReader r)
    {
        var comment = new Comment(
            Id: r.GetString(2), PostId: r.GetString(0), ParentId: r.GetString(3), Depth: r.GetInt32(4),
            Body: r.GetString(5), Author: r.GetString(6), Score: r.GetInt32(7), Created: Time(r.GetInt64(8)),
            Edited: r.IsDBNull(9) ? null : Time(r.GetInt64(9)), Distinguished: r.IsDBNull(10) ? null : r.GetString(10),
            Stickied: r.GetInt64(11) != 0, IsSubmitter: r.GetInt64(12) != 0)
        { ScoreHidden = r.GetInt64(15) != 0 };
        return new CandidateAnswer(comment, Time(r.GetInt64(13)), r.IsDBNull(14) ? null : r.GetDouble(14), r.GetInt64(1));
    }

    private static DateTimeOffset Time(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);
}
