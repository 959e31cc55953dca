using ForumPrefs.Core;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>
/// Upserts posts and comments with statements prepared once and reused across batches. Comments go
/// <see cref="RowsPerStatement"/> to a statement (multi-row VALUES), which halves SQLite's per-statement cost.
/// An observation older than the stored one never rolls a row back; removed text and authors stay removed
/// whatever a later sighting says.
/// </summary>
internal sealed class ThreadWriter : IDisposable
{
    private const int RowsPerStatement = 32;
    private const int CommentColumns = 14;

    // The WHERE clause makes re-writing an identical observation a no-op, so the score trigger stays quiet.
    private const string UpsertPost = """
        INSERT INTO posts(forum_id, id, title, body, author, score, upvote_ratio, created_utc, edited_utc, over_18,
                          is_self, distinguished, url, num_comments, observed_utc, first_score, first_observed_utc,
                          accepted_answer_id)
        VALUES($forum, $id, $title, $body, $author, $score, $ratio, $created, $edited, $over18,
               $isSelf, $distinguished, $url, $numComments, $observed, $score, $observed, $accepted)
        ON CONFLICT(forum_id, id) DO UPDATE SET
            title = excluded.title,
            body = CASE WHEN posts.body IN ('[deleted]', '[removed]') THEN posts.body ELSE excluded.body END,
            author = CASE WHEN posts.author = '[deleted]' THEN posts.author ELSE excluded.author END,
            score = excluded.score, upvote_ratio = excluded.upvote_ratio, edited_utc = excluded.edited_utc,
            over_18 = excluded.over_18, is_self = excluded.is_self, distinguished = excluded.distinguished,
            url = excluded.url, num_comments = excluded.num_comments, observed_utc = excluded.observed_utc,
            accepted_answer_id = excluded.accepted_answer_id
        WHERE excluded.observed_utc >= posts.observed_utc
          AND (posts.observed_utc <> excluded.observed_utc OR posts.score <> excluded.score
               OR posts.body IS NOT excluded.body OR posts.author IS NOT excluded.author
               OR posts.title IS NOT excluded.title OR posts.edited_utc IS NOT excluded.edited_utc
               OR posts.num_comments <> excluded.num_comments OR posts.upvote_ratio IS NOT excluded.upvote_ratio
               OR posts.distinguished IS NOT excluded.distinguished OR posts.over_18 <> excluded.over_18
               OR posts.accepted_answer_id IS NOT excluded.accepted_answer_id)
        """;

    private const string UpsertCommentHead = """
        INSERT INTO comments(forum_id, id, post_id, parent_id, depth, body, author, score, created_utc, edited_utc,
                             distinguished, stickied, is_submitter, observed_utc, first_score, first_observed_utc)
        VALUES
        """;

    private const string UpsertCommentTail = """
        ON CONFLICT(forum_id, post_id, id) DO UPDATE SET
            parent_id = excluded.parent_id,
            depth = CASE WHEN excluded.depth < 0 THEN comments.depth ELSE excluded.depth END,
            body = CASE WHEN comments.body IN ('[deleted]', '[removed]') THEN comments.body ELSE excluded.body END,
            author = CASE WHEN comments.author = '[deleted]' THEN comments.author ELSE excluded.author END,
            score = excluded.score, edited_utc = excluded.edited_utc, distinguished = excluded.distinguished,
            stickied = excluded.stickied, is_submitter = excluded.is_submitter, observed_utc = excluded.observed_utc
        WHERE excluded.observed_utc >= comments.observed_utc
          AND (comments.observed_utc <> excluded.observed_utc OR comments.score <> excluded.score
               OR comments.body IS NOT excluded.body OR comments.author IS NOT excluded.author
               OR comments.edited_utc IS NOT excluded.edited_utc OR comments.distinguished IS NOT excluded.distinguished
               OR comments.stickied <> excluded.stickied OR (excluded.depth >= 0 AND comments.depth <> excluded.depth)
               OR comments.parent_id <> excluded.parent_id)
        """;

    private const string UpsertGroundTruth = """
        INSERT INTO ground_truth(comment_pk, quality)
        SELECT pk, $quality FROM comments WHERE forum_id = $forum AND post_id = $post AND id = $id
        ON CONFLICT(comment_pk) DO UPDATE SET quality = excluded.quality
        """;

    private readonly SqliteConnection _connection;
    private readonly PreparedCommand _post;
    private readonly PreparedCommand _commentRows;
    private readonly PreparedCommand _commentRow;
    private readonly PreparedCommand _groundTruth;
    private readonly Dictionary<Forum, long> _forumIds = [];
    private readonly List<(long Forum, Comment Comment, long Observed)> _pendingComments = new(RowsPerStatement);
    private readonly List<(long Forum, string PostId, string Id, double Quality)> _pendingTruth = [];
    private SqliteTransaction? _transaction;

    public ThreadWriter(SqliteConnection connection)
    {
        _connection = connection;
        _post = new PreparedCommand(connection, UpsertPost);
        _commentRows = new PreparedCommand(connection, CommentUpsert(RowsPerStatement));
        _commentRow = new PreparedCommand(connection, CommentUpsert(1));
        _groundTruth = new PreparedCommand(connection, UpsertGroundTruth);
    }

    /// <summary>The transaction the next writes run in (the raw statements join it through the shared handle).</summary>
    public void Bind(SqliteTransaction transaction) => _transaction = transaction;

    public void Write(ForumThread thread)
    {
        var forumId = ForumId(thread.Forum);
        var observed = thread.Observed.ToUnixTimeSeconds();
        WritePost(forumId, thread.Post, observed);
        foreach (var comment in thread.Comments)
            Buffer(forumId, comment, observed);
        if (thread.GroundTruth is { } truth)
        {
            foreach (var (id, quality) in truth)
                _pendingTruth.Add((forumId, thread.Post.Id, id, quality));
        }
    }

    /// <summary>A post on its own (dumps bring posts and comments separately).</summary>
    public void Write(Forum forum, Post post, DateTimeOffset observed) =>
        WritePost(ForumId(forum), post, observed.ToUnixTimeSeconds());

    /// <summary>A comment on its own; its post may arrive later. A depth of -1 means "not known yet".</summary>
    public void Write(Forum forum, Comment comment, DateTimeOffset observed) =>
        Buffer(ForumId(forum), comment, observed.ToUnixTimeSeconds());

    private void Buffer(long forumId, Comment comment, long observed)
    {
        _pendingComments.Add((forumId, comment, observed));
        if (_pendingComments.Count == RowsPerStatement)
            FlushComments();
    }

    /// <summary>Writes what is still buffered; call before the transaction commits.</summary>
    public void Complete()
    {
        FlushComments();
        foreach (var (forum, postId, id, quality) in _pendingTruth)
            _groundTruth.Set("$forum", forum).Set("$post", postId).Set("$id", id).Set("$quality", quality).Run();
        _pendingTruth.Clear();
    }

    private void FlushComments()
    {
        if (_pendingComments.Count == RowsPerStatement)
        {
            for (var row = 0; row < RowsPerStatement; row++)
                BindComment(_commentRows, row * CommentColumns, _pendingComments[row]);
            _commentRows.Run();
        }
        else
        {
            foreach (var pending in _pendingComments)
            {
                BindComment(_commentRow, 0, pending);
                _commentRow.Run();
            }
        }
        _pendingComments.Clear();
    }

    private static void BindComment(PreparedCommand command, int offset, (long Forum, Comment Comment, long Observed) pending)
    {
        var (forum, c, observed) = pending;
        var (body, author) = Redact(c.Body, c.Author);
        command.Set(offset + 1, forum).Set(offset + 2, c.Id).Set(offset + 3, c.PostId).Set(offset + 4, c.ParentId)
            .Set(offset + 5, (long)c.Depth).Set(offset + 6, body).Set(offset + 7, author).Set(offset + 8, (long)c.Score)
            .Set(offset + 9, c.Created.ToUnixTimeSeconds()).Set(offset + 10, c.Edited?.ToUnixTimeSeconds())
            .Set(offset + 11, c.Distinguished).Set(offset + 12, c.Stickied).Set(offset + 13, c.IsSubmitter)
            .Set(offset + 14, observed);
    }

    /// <summary>Comment upsert for n rows; ?1..?14 of each row are bound, first_score and first_observed_utc reuse them.</summary>
    private static string CommentUpsert(int rows)
    {
        var values = Enumerable.Range(0, rows).Select(row =>
        {
            var p = Enumerable.Range(row * CommentColumns + 1, CommentColumns).Select(i => $"?{i}").ToArray();
            return $"({string.Join(", ", p)}, {p[7]}, {p[13]})";
        });
        return $"{UpsertCommentHead} {string.Join(",\n", values)}\n{UpsertCommentTail}";
    }

    private void WritePost(long forumId, Post post, long observed)
    {
        var (body, author) = Redact(post.Body, post.Author);
        _post.Set("$forum", forumId).Set("$id", post.Id).Set("$title", post.Title).Set("$body", body)
            .Set("$author", author).Set("$score", (long)post.Score).Set("$ratio", post.UpvoteRatio)
            .Set("$created", post.Created.ToUnixTimeSeconds()).Set("$edited", post.Edited?.ToUnixTimeSeconds())
            .Set("$over18", post.Over18).Set("$isSelf", post.IsSelf).Set("$distinguished", post.Distinguished)
            .Set("$url", post.Url).Set("$numComments", (long)post.NumComments).Set("$observed", observed)
            .Set("$accepted", post.AcceptedAnswerId).Run();
    }

    /// <summary>Removed text takes its author with it (Reddit's terms: deleted content leaves every copy).</summary>
    private static (string Body, string Author) Redact(string body, string author) =>
        DeletedContent.IsMarker(body) ? (body, DeletedContent.Deleted) : (body, author);

    private long ForumId(Forum forum)
    {
        if (_forumIds.TryGetValue(forum, out var id))
            return id;
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = """
            INSERT INTO forums(source, name) VALUES($source, $name) ON CONFLICT(source, name) DO NOTHING;
            SELECT id FROM forums WHERE source = $source AND name = $name;
            """;
        command.Parameters.AddWithValue("$source", forum.Source);
        command.Parameters.AddWithValue("$name", forum.Name);
        id = Convert.ToInt64(command.ExecuteScalar());
        _forumIds[forum] = id;
        return id;
    }

    public void Dispose()
    {
        _post.Dispose();
        _commentRows.Dispose();
        _commentRow.Dispose();
        _groundTruth.Dispose();
    }
}
