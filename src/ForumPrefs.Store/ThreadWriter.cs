using ForumPrefs.Core;
using Microsoft.Data.Sqlite;
using System.Runtime.CompilerServices;

namespace ForumPrefs.Store;

/// <summary>
/// Upserts posts and comments with statements prepared once and reused across batches. Comments go
/// <see cref="RowsPerStatement"/> to a statement (multi-row VALUES), which halves SQLite's per-statement cost.
/// Observations may arrive in any order and the stored result is the same: content follows the newest sighting
/// (seen_utc), the score follows the newest sighting that showed one, first_score is the earliest, every other
/// sighting lands in score_snapshots, and removed text or authors stay removed whichever sighting carried them.
/// The per-row methods are compiled fully optimised at once (AggressiveOptimization), as the dump parser's are.
/// </summary>
internal sealed class ThreadWriter : IDisposable
{
    private const int RowsPerStatement = 32;
    private const int CommentColumns = 16;
    private const int SightingColumns = 6;

    // Markers of removed text: once any sighting carries one, it wins over text; of two markers the larger wins,
    // so the result does not depend on which arrived first.
    private const string Markers = "('[deleted]', '[removed]')";

    internal const string PostColumnNames = """
        forum_id, id, title, body, author, score, upvote_ratio, created_utc, edited_utc, over_18,
        is_self, distinguished, url, num_comments, observed_utc, first_score, first_observed_utc,
        accepted_answer_id, seen_utc, tags, meta, tags_seen_utc, meta_seen_utc
        """;

    private static readonly string UpsertPost = $"""
        INSERT INTO posts({PostColumnNames})
        VALUES($forum, $id, $title, $body, $author, $score, $ratio, $created, $edited, $over18,
               $isSelf, $distinguished, $url, $numComments, $observed, $score, $observed, $accepted, $observed, $tags, $meta,
               CASE WHEN $tags IS NULL THEN NULL ELSE $observed END, CASE WHEN $meta IS NULL THEN NULL ELSE $observed END)
        {PostConflict(mergesRows: false)}
        """;

    /// <summary>
    /// How an incoming post meets a stored one. With <paramref name="mergesRows"/> the incoming row is another store's,
    /// whose earliest sighting (first_score, first_observed_utc) is its own, not its newest.
    /// </summary>
    internal static string PostConflict(bool mergesRows) => $"""
        ON CONFLICT(forum_id, id) DO UPDATE SET
            title = {Newer("posts", "title")},
            body = {Body("posts")},
            author = {Author("posts")},
            upvote_ratio = {Newer("posts", "upvote_ratio")}, edited_utc = {Newer("posts", "edited_utc")},
            over_18 = {Newer("posts", "over_18")}, is_self = {Newer("posts", "is_self")},
            distinguished = {Newer("posts", "distinguished")}, url = {Newer("posts", "url")},
            num_comments = {Newer("posts", "num_comments")},
            accepted_answer_id = {Newer("posts", "accepted_answer_id")},
            tags = {Carried("posts", "tags")}, tags_seen_utc = {Larger("posts", "tags_seen_utc")},
            meta = {Carried("posts", "meta")}, meta_seen_utc = {Larger("posts", "meta_seen_utc")},
            {ScoreMerge.Assignments("posts.", "excluded.score", "excluded.observed_utc", "0", "0", FirstScore(mergesRows), FirstAt(mergesRows))},
            seen_utc = max(posts.seen_utc, excluded.seen_utc)
        -- Re-writing a sighting already stored (a resumed batch, a file read twice) is a no-op.
        WHERE excluded.seen_utc <> posts.seen_utc OR excluded.observed_utc <> posts.observed_utc
           OR excluded.score <> posts.score OR excluded.title IS NOT posts.title OR excluded.body IS NOT posts.body
           OR excluded.author IS NOT posts.author OR excluded.upvote_ratio IS NOT posts.upvote_ratio
           OR excluded.edited_utc IS NOT posts.edited_utc OR excluded.over_18 <> posts.over_18
           OR excluded.is_self <> posts.is_self OR excluded.distinguished IS NOT posts.distinguished
           OR excluded.url IS NOT posts.url OR excluded.num_comments <> posts.num_comments
           OR excluded.accepted_answer_id IS NOT posts.accepted_answer_id
           OR {CarriedNews("posts", "tags")} OR {CarriedNews("posts", "meta")}{EarlierFirst("posts", mergesRows)}
        """;

    internal const string CommentColumnNames = """
        forum_id, id, post_id, parent_id, depth, body, author, score, created_utc, edited_utc,
        distinguished, stickied, is_submitter, observed_utc, score_hidden, meta, first_score,
        first_observed_utc, seen_utc, meta_seen_utc
        """;

    private static readonly string UpsertCommentHead = $"INSERT INTO comments({CommentColumnNames})\nVALUES";

    // New rows only: a row that meets a stored one is left for the upsert. With foreign keys off (bulk item writes)
    // SQLite needs no statement journal for it, where the upsert's DO UPDATE always takes one (it may abort halfway).
    private static readonly string InsertNewCommentsHead = $"INSERT OR IGNORE INTO comments({CommentColumnNames})\nVALUES";

    private static readonly string UpsertCommentTail = CommentConflict(mergesRows: false);

    /// <summary>
    /// How an incoming comment meets a stored one (see <see cref="PostConflict"/> for <paramref name="mergesRows"/>).
    /// A hidden score (score_hidden = 1) is no sighting of the score: it leaves the score columns alone unless the row
    /// has never shown one either.
    /// </summary>
    internal static string CommentConflict(bool mergesRows) => $"""
        ON CONFLICT(forum_id, post_id, id) DO UPDATE SET
            parent_id = {Newer("comments", "parent_id")},
            depth = CASE WHEN excluded.depth < 0 THEN comments.depth WHEN comments.depth < 0 THEN excluded.depth
                         ELSE {Newer("comments", "depth")} END,
            body = {Body("comments")},
            author = {Author("comments")},
            edited_utc = {Newer("comments", "edited_utc")}, distinguished = {Newer("comments", "distinguished")},
            stickied = {Newer("comments", "stickied")}, is_submitter = {Newer("comments", "is_submitter")},
            {ScoreMerge.Assignments("comments.", "excluded.score", "excluded.observed_utc", "excluded.score_hidden", "comments.score_hidden",
                FirstScore(mergesRows), FirstAt(mergesRows))},
            score_hidden = comments.score_hidden AND excluded.score_hidden,
            meta = {Carried("comments", "meta")}, meta_seen_utc = {Larger("comments", "meta_seen_utc")},
            seen_utc = max(comments.seen_utc, excluded.seen_utc)
        -- Re-writing a sighting already stored (a resumed batch, a file read twice) is a no-op.
        WHERE excluded.seen_utc <> comments.seen_utc OR excluded.observed_utc <> comments.observed_utc
           OR excluded.score <> comments.score OR excluded.score_hidden <> comments.score_hidden
           OR excluded.body IS NOT comments.body OR excluded.author IS NOT comments.author
           OR excluded.edited_utc IS NOT comments.edited_utc OR excluded.distinguished IS NOT comments.distinguished
           OR excluded.stickied <> comments.stickied OR excluded.is_submitter <> comments.is_submitter
           OR excluded.parent_id <> comments.parent_id OR (excluded.depth >= 0 AND excluded.depth <> comments.depth)
           OR {CarriedNews("comments", "meta")}{EarlierFirst("comments", mergesRows)}
        """;

    private static string? FirstScore(bool mergesRows) => mergesRows ? "excluded.first_score" : null;

    private static string? FirstAt(bool mergesRows) => mergesRows ? "excluded.first_observed_utc" : null;

    // A merged row whose only news is an earlier first sighting (or a larger score at it) is no no-op either.
    private static string EarlierFirst(string table, bool mergesRows) => mergesRows
        ? $"\n   OR excluded.first_observed_utc < {table}.first_observed_utc" +
          $" OR (excluded.first_observed_utc = {table}.first_observed_utc AND excluded.first_score > {table}.first_score)"
        : "";

    // After the upsert: every sighting with a known score that is not the row's earliest joins score_snapshots
    // (the trigger adds a former earliest one when an even earlier sighting arrives).
    private const string SightingsHead = """
        INSERT INTO score_snapshots(item_kind, item_pk, observed_utc, score)
        SELECT 'comment', c.pk, v.column4, v.column5 FROM (VALUES
        """;

    private static readonly string SightingsTail = """
        ) AS v JOIN comments c ON c.forum_id = v.column1 AND c.post_id = v.column2 AND c.id = v.column3
        WHERE v.column6 = 0 AND c.score_hidden = 0 AND v.column4 <> c.first_observed_utc
        """ + ScoreMerge.SnapshotConflict;

    private static readonly string PostSighting = """
        INSERT INTO score_snapshots(item_kind, item_pk, observed_utc, score)
        SELECT 'post', pk, $observed, $score FROM posts WHERE forum_id = $forum AND id = $id AND first_observed_utc <> $observed
        """ + ScoreMerge.SnapshotConflict;

    private const string UpsertGroundTruth = """
        INSERT INTO ground_truth(comment_pk, quality)
        SELECT pk, $quality FROM comments WHERE forum_id = $forum AND post_id = $post AND id = $id
        ON CONFLICT(comment_pk) DO UPDATE SET quality = excluded.quality
        """;

    /// <summary>
    /// The value of the newer sighting. Two sightings of the same second that disagree (two mirrors of one crawl) keep
    /// the larger value, a value over none, column by column: like max, that gives the same row in any order of
    /// writing, where "the one written last" made the store depend on the order of files, batches and merges.
    /// </summary>
    private static string Newer(string table, string column, string seen = "seen_utc") => $"""
        CASE WHEN excluded.{seen} > {table}.{seen} THEN excluded.{column} WHEN excluded.{seen} < {table}.{seen} THEN {table}.{column}
             ELSE {Larger(table, column)} END
        """;

    /// <summary>
    /// Tags and meta: a sighting without them (a page that shows no tags) keeps what is stored, so they follow the
    /// newest sighting that carried them, told by their own time ({column}_seen_utc), not the row's newest sighting.
    /// </summary>
    private static string Carried(string table, string column) => OverNone(table, column, Newer(table, column, $"{column}_seen_utc"));

    /// <summary>Whether the sighting brings tags or meta that change what is stored or when it was seen.</summary>
    private static string CarriedNews(string table, string column) =>
        $"(excluded.{column} IS NOT NULL AND (excluded.{column} IS NOT {table}.{column} OR excluded.{column}_seen_utc IS NOT {table}.{column}_seen_utc))";

    /// <summary>The larger of two values, a value over none.</summary>
    private static string Larger(string table, string column) => OverNone(table, column, $"max(excluded.{column}, {table}.{column})");

    /// <summary>A value over none; <paramref name="both"/> where each side has one.</summary>
    private static string OverNone(string table, string column, string both) =>
        $"CASE WHEN excluded.{column} IS NULL THEN {table}.{column} WHEN {table}.{column} IS NULL THEN excluded.{column} ELSE {both} END";

    private static string Body(string table) => $"""
        CASE WHEN {table}.body IN {Markers} AND excluded.body IN {Markers} THEN max({table}.body, excluded.body)
             WHEN {table}.body IN {Markers} THEN {table}.body
             WHEN excluded.body IN {Markers} THEN excluded.body
             ELSE {Newer(table, "body")} END
        """;

    private static string Author(string table) =>
        $"CASE WHEN {table}.author = '[deleted]' OR excluded.author = '[deleted]' THEN '[deleted]' ELSE {Newer(table, "author")} END";

    private readonly SqliteConnection _connection;
    private readonly PreparedCommand _post;
    private readonly PreparedCommand _postSighting;
    private readonly PreparedCommand _newCommentRows;
    private readonly PreparedCommand _commentRows;
    private readonly PreparedCommand _newCommentRow;
    private readonly PreparedCommand _commentRow;
    private readonly PreparedCommand _sightingRows;
    private readonly PreparedCommand _sightingRow;
    private readonly PreparedCommand _groundTruth;
    private readonly PreparedCommand _maxCommentPk;
    private long? _maxPk;
    private bool _meetingStoredRows; // the last comment statement met stored rows (see Store)
    private readonly PreparedCommand _touch;
    private readonly PreparedCommand _storedDepth;
    // Depths of the comments this transaction wrote, so a reply whose parent came in the same batch gets its depth
    // without a query; cleared with each transaction, so it never grows beyond one batch.
    private readonly Dictionary<(long Forum, string Post, string Id), int> _batchDepths = [];
    // Posts whose comments this batch wrote: their reply depths are settled by ResolveDepths.
    private readonly HashSet<(long Forum, string Post)> _touched = [];
    private readonly Dictionary<Forum, long> _forumIds = [];
    private (Forum Forum, long Id)? _lastForum;
    private readonly List<(long Forum, Comment Comment, long Observed, int Depth)> _pendingComments = new(RowsPerStatement);
    private readonly List<(long Forum, string PostId, string Id, double Quality)> _pendingTruth = [];
    private SqliteTransaction? _transaction;

    public ThreadWriter(SqliteConnection connection)
    {
        _connection = connection;
        _post = new PreparedCommand(connection, UpsertPost);
        _postSighting = new PreparedCommand(connection, PostSighting);
        _newCommentRows = new PreparedCommand(connection, CommentInsert(InsertNewCommentsHead, RowsPerStatement, ""));
        _commentRows = new PreparedCommand(connection, CommentUpsert(RowsPerStatement));
        _newCommentRow = new PreparedCommand(connection, CommentInsert(InsertNewCommentsHead, 1, ""));
        _commentRow = new PreparedCommand(connection, CommentUpsert(1));
        _sightingRows = new PreparedCommand(connection, Sightings(RowsPerStatement));
        _sightingRow = new PreparedCommand(connection, Sightings(1));
        _groundTruth = new PreparedCommand(connection, UpsertGroundTruth);
        _maxCommentPk = new PreparedCommand(connection, "SELECT coalesce(max(pk), 0) FROM comments");
        _touch = new PreparedCommand(connection, "INSERT OR IGNORE INTO touched_posts VALUES(?1, ?2)");
        _storedDepth = new PreparedCommand(connection, "SELECT depth FROM comments WHERE forum_id = ?1 AND post_id = ?2 AND id = ?3");
    }

    /// <summary>Replies written without a depth that were given one from their parent as they were written.</summary>
    public long DepthsSettled { get; set; }

    /// <summary>The transaction the next writes run in (the raw statements join it through the shared handle).</summary>
    public void Bind(SqliteTransaction transaction)
    {
        if (ReferenceEquals(transaction, _transaction))
            return; // the same transaction continued (a batch written in chunks): what it wrote stays known
        _transaction = transaction;
        _maxPk = null; // only this writer adds comments within a transaction: the last max(pk) read stays true in it
        _batchDepths.Clear();
    }

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Buffer(long forumId, Comment comment, long observed)
    {
        var depth = comment.Depth;
        if (depth == DepthResolver.Unknown && KnownParentDepth(forumId, comment) is { } parent)
        {
            depth = parent + 1;
            DepthsSettled++;
        }
        if (depth >= 0)
            _batchDepths[(forumId, comment.PostId, comment.Id)] = depth;
        // Every post written to is settled again, even when this reply's depth is known: a reply stored earlier may
        // have waited for exactly this comment.
        _touched.Add((forumId, comment.PostId));
        _pendingComments.Add((forumId, comment, observed, depth));
        if (_pendingComments.Count == RowsPerStatement)
            FlushComments();
    }

    /// <summary>
    /// The depth of a reply's parent when it is already known — written earlier in this batch or stored with a depth —
    /// so most replies are stored with their depth and <see cref="DepthResolver"/> is left only those whose parent has
    /// not arrived or is itself waiting. This is the resolver's own rule (a stored depth is taken as settled), one
    /// step up instead of a walk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? KnownParentDepth(long forumId, Comment comment)
    {
        if (comment.ParentId == comment.Id || comment.ParentId == comment.PostId)
            return null; // a loop onto itself is the resolver's to report; a top-level reply is not waiting
        if (_batchDepths.TryGetValue((forumId, comment.PostId, comment.ParentId), out var inBatch))
            return inBatch;
        var stored = _storedDepth.Set(1, forumId).Set(2, comment.PostId).Set(3, comment.ParentId).LongOrNull();
        return stored >= 0 ? (int)stored : null;
    }

    /// <summary>Writes what is still buffered; call before the transaction commits.</summary>
    public void Complete()
    {
        FlushComments();
        foreach (var (forum, post) in _touched)
            _touch.Set(1, forum).Set(2, post).Run();
        _touched.Clear();
        foreach (var (forum, postId, id, quality) in _pendingTruth)
            _groundTruth.Set("$forum", forum).Set("$post", postId).Set("$id", id).Set("$quality", quality).Run();
        _pendingTruth.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FlushComments()
    {
        if (_pendingComments.Count == RowsPerStatement)
            Store(_newCommentRows, _commentRows, _sightingRows, 0, RowsPerStatement);
        else
        {
            for (var row = 0; row < _pendingComments.Count; row++)
                Store(_newCommentRow, _commentRow, _sightingRow, row, 1);
        }
        _pendingComments.Clear();
    }

    /// <summary>
    /// Stores <paramref name="count"/> pending comments from <paramref name="first"/> with statements made for that many.
    /// New rows take max(pk) + 1, so when the pk grew by <paramref name="count"/> every row was new (the common case of
    /// a first ingest): the plain insert stored them all, and the upsert and the sightings statement are skipped.
    /// Otherwise the upsert merges the rows that met a stored one (or an earlier row of the same statement); for the
    /// rows the insert just stored it is a no-op, as for any sighting already stored. Rows come in runs (a file read
    /// again, a re-crawl), so once a statement met stored rows the next ones go to the upsert at once, until one of
    /// them adds every row: trying the insert first there would look every row up twice (`bench store`, same rows again:
    /// 3.0 s against 4.2 s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Store(PreparedCommand insert, PreparedCommand upsert, PreparedCommand sightings, int first, int count)
    {
        var before = _maxPk ?? _maxCommentPk.Long();
        if (!_meetingStoredRows)
        {
            Run(insert, first, count);
            _maxPk = _maxCommentPk.Long();
            if (_maxPk - before == count)
                return;
            _meetingStoredRows = true;
            Run(upsert, first, count); // adds no row: the insert left only rows that meet one
        }
        else
        {
            Run(upsert, first, count);
            _maxPk = _maxCommentPk.Long();
            _meetingStoredRows = _maxPk - before < count;
            if (!_meetingStoredRows)
                return;
        }
        for (var row = 0; row < count; row++)
            BindSighting(sightings, row * SightingColumns, _pendingComments[first + row]);
        sightings.Run();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(PreparedCommand comments, int first, int count)
    {
        for (var row = 0; row < count; row++)
            BindComment(comments, row * CommentColumns, _pendingComments[first + row]);
        comments.Run();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BindComment(PreparedCommand command, int offset, (long Forum, Comment Comment, long Observed, int Depth) pending)
    {
        var (forum, c, observed, depth) = pending;
        var (body, author) = Redact(c.Body, c.Author);
        command.Set(offset + 1, forum).Set(offset + 2, c.Id).Set(offset + 3, c.PostId).Set(offset + 4, c.ParentId)
            .Set(offset + 5, (long)depth).Set(offset + 6, body).Set(offset + 7, author)
            .Set(offset + 8, c.ScoreHidden ? 0L : c.Score)
            .Set(offset + 9, c.Created.ToUnixTimeSeconds()).Set(offset + 10, c.Edited?.ToUnixTimeSeconds())
            .Set(offset + 11, c.Distinguished).Set(offset + 12, c.Stickied).Set(offset + 13, c.IsSubmitter)
            .Set(offset + 14, observed).Set(offset + 15, c.ScoreHidden).Set(offset + 16, c.Meta);
    }

    private static void BindSighting(PreparedCommand command, int offset, (long Forum, Comment Comment, long Observed, int Depth) pending)
    {
        var (forum, c, observed, _) = pending;
        command.Set(offset + 1, forum).Set(offset + 2, c.PostId).Set(offset + 3, c.Id).Set(offset + 4, observed)
            .Set(offset + 5, c.ScoreHidden ? 0L : c.Score).Set(offset + 6, c.ScoreHidden);
    }

    /// <summary>
    /// Comment upsert for n rows; ?1..?16 of each row are bound, and first_score, first_observed_utc and seen_utc
    /// reuse the score and observation time.
    /// </summary>
    private static string CommentUpsert(int rows) => CommentInsert(UpsertCommentHead, rows, UpsertCommentTail);

    private static string CommentInsert(string head, int rows, string tail)
    {
        var values = Enumerable.Range(0, rows).Select(row =>
        {
            var p = Enumerable.Range(row * CommentColumns + 1, CommentColumns).Select(i => $"?{i}").ToArray();
            return $"({string.Join(", ", p)}, {p[7]}, {p[13]}, {p[13]}, CASE WHEN {p[15]} IS NULL THEN NULL ELSE {p[13]} END)";
        });
        return $"{head} {string.Join(",\n", values)}\n{tail}";
    }

    /// <summary>The sightings statement for n rows of (forum, post, id, observed, score, hidden).</summary>
    private static string Sightings(int rows)
    {
        var values = Enumerable.Range(0, rows).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(row * SightingColumns + 1, SightingColumns).Select(i => $"?{i}")) + ")");
        return $"{SightingsHead} {string.Join(", ", values)}{SightingsTail}";
    }

    private void WritePost(long forumId, Post post, long observed)
    {
        var (body, author) = Redact(post.Body, post.Author);
        _post.Set("$forum", forumId).Set("$id", post.Id).Set("$title", post.Title).Set("$body", body)
            .Set("$author", author).Set("$score", (long)post.Score).Set("$ratio", post.UpvoteRatio)
            .Set("$created", post.Created.ToUnixTimeSeconds()).Set("$edited", post.Edited?.ToUnixTimeSeconds())
            .Set("$over18", post.Over18).Set("$isSelf", post.IsSelf).Set("$distinguished", post.Distinguished)
            .Set("$url", post.Url).Set("$numComments", (long)post.NumComments).Set("$observed", observed)
            .Set("$accepted", post.AcceptedAnswerId).Set("$tags", post.Tags.Count > 0 ? string.Join('|', post.Tags) : null).Set("$meta", post.Meta).Run();
        _postSighting.Set("$forum", forumId).Set("$id", post.Id).Set("$observed", observed).Set("$score", (long)post.Score).Run();
    }

    /// <summary>Removed text takes its author with it (Reddit's terms: deleted content leaves every copy).</summary>
    private static (string Body, string Author) Redact(string body, string author) =>
        DeletedContent.IsMarker(body) ? (body, DeletedContent.Deleted) : (body, author);

    private long ForumId(Forum forum)
    {
        // Dump lines come in long runs of one forum: comparing with the last one saves hashing both names per row.
        if (_lastForum is { } last && (ReferenceEquals(last.Forum, forum) || last.Forum.Equals(forum)))
            return last.Id;
        if (!_forumIds.TryGetValue(forum, out var id))
            id = _forumIds[forum] = EnsureForum(_connection, _transaction, forum);
        _lastForum = (forum, id);
        return id;
    }

    /// <summary>The forum's row id, creating the row on first use.</summary>
    internal static long EnsureForum(SqliteConnection connection, SqliteTransaction? transaction, Forum forum)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO forums(source, name) VALUES($source, $name) ON CONFLICT(source, name) DO NOTHING;
            SELECT id FROM forums WHERE source = $source AND name = $name;
            """;
        command.Parameters.AddWithValue("$source", forum.Source);
        command.Parameters.AddWithValue("$name", forum.Name);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public void Dispose()
    {
        _post.Dispose();
        _postSighting.Dispose();
        _newCommentRows.Dispose();
        _commentRows.Dispose();
        _newCommentRow.Dispose();
        _commentRow.Dispose();
        _sightingRows.Dispose();
        _sightingRow.Dispose();
        _groundTruth.Dispose();
        _maxCommentPk.Dispose();
        _touch.Dispose();
        _storedDepth.Dispose();
    }
}
