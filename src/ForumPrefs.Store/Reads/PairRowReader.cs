using ForumPrefs.Core;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store.Reads;

/// <summary>A post as pairs need it: its texts as stored now.</summary>
public sealed record PostRow(string Id, string Title, string Body, double? UpvoteRatio, string? Url)
{
    public string Author { get; init; } = "";
    /// <summary>The licence the source gave the item (Stack Exchange's ContentLicense), else null.</summary>
    public string? License { get; init; }
}

/// <summary>A reply as pairs need it (any depth), by its row key; <see cref="Role"/> where the source has one (OpenAssistant).</summary>
public sealed record AnswerRow(long Pk, string Id, string Text, string Author, DateTimeOffset Created, double? Quality, string ParentId, string? Role)
{
    public string? License { get; init; }
}

/// <summary>One stored pair: its two answers' row keys and what the run decided.</summary>
public sealed record PairRow(long PreferredPk, long OtherPk, int PreferredScore, int OtherScore, double ScoreRatio, double Margin, Split Split,
    bool PreferredIsA, PairWindow? Window, string? Language);

/// <summary>A post's pairs of one run, with the post and every reply under it.</summary>
public sealed record PostPairs(PostRow Post, IReadOnlyDictionary<long, AnswerRow> Answers, IReadOnlyList<PairRow> Pairs);

/// <summary>
/// Streams a run's pairs post by post, with the texts as stored now: a post and its replies (at any depth:
/// <c>pairs --keep nested</c> pairs replies too) are read once per post, not once per pair. Rows only: what becomes
/// of them (deleted answers left out, conversations) is Export's.
/// </summary>
public static class PairRowReader
{
    public static IEnumerable<PostPairs> Read(ForumStore store, PairRun run)
    {
        var connection = store.Connection;
        using var pairs = Db.Command(connection, """
            SELECT post_pk, preferred_pk, other_pk, preferred_score, other_score, score_ratio, margin, split, preferred_is_a,
                   window_preferred, window_other, window_seconds, language
            FROM pairs WHERE run_id = $run ORDER BY post_pk, preferred_pk, other_pk
            """, ("$run", run.Id));
        using var post = Db.Command(connection, "SELECT forum_id, id, title, body, upvote_ratio, url, author, json_extract(meta, '$.license') FROM posts WHERE pk = $pk", ("$pk", 0L));
        using var answers = Db.Command(connection, """
            SELECT c.pk, c.id, c.body, c.author, c.created_utc, g.quality, c.parent_id, json_extract(c.meta, '$.role'),
                   json_extract(c.meta, '$.license')
            FROM comments c LEFT JOIN ground_truth g ON g.comment_pk = c.pk
            WHERE c.forum_id = $forum AND c.post_id = $post
            """, ("$forum", 0L), ("$post", ""));

        long currentPost = -1;
        PostRow? postRow = null;
        Dictionary<long, AnswerRow> texts = [];
        var group = new List<PairRow>();
        using var r = pairs.ExecuteReader();
        while (r.Read())
        {
            var postPk = r.GetInt64(0);
            if (postPk != currentPost)
            {
                if (postRow is not null)
                    yield return new PostPairs(postRow, texts, group);
                currentPost = postPk;
                post.Parameters["$pk"].Value = postPk;
                (postRow, var forumId) = ReadPost(post);
                answers.Parameters["$forum"].Value = forumId;
                answers.Parameters["$post"].Value = postRow.Id;
                texts = ReadAnswers(answers);
                group = [];
            }
            group.Add(new PairRow(r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), r.GetInt32(4), r.GetDouble(5), r.GetDouble(6),
                Enum.Parse<Split>(r.GetString(7), ignoreCase: true), r.GetInt64(8) != 0,
                r.IsDBNull(9) ? null : new PairWindow(r.GetInt32(9), r.GetInt32(10), r.GetInt64(11)), r.IsDBNull(12) ? null : r.GetString(12)));
        }
        if (postRow is not null)
            yield return new PostPairs(postRow, texts, group);
    }

    private static (PostRow Post, long ForumId) ReadPost(SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        if (!r.Read())
            throw new StoreException("the store is inconsistent: a pair names a post that does not exist");
        return (new PostRow(r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5))
            { Author = r.GetString(6), License = r.IsDBNull(7) ? null : r.GetString(7) }, r.GetInt64(0));
    }

    private static Dictionary<long, AnswerRow> ReadAnswers(SqliteCommand command)
    {
        var texts = new Dictionary<long, AnswerRow>();
        using var r = command.ExecuteReader();
        while (r.Read())
            texts[r.GetInt64(0)] = new AnswerRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), Db.Time(r.GetInt64(4)),
                r.IsDBNull(5) ? null : r.GetDouble(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7))
            { License = r.IsDBNull(8) ? null : r.GetString(8) };
        return texts;
    }
}
