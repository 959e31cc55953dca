using ForumPrefs.Core;
using ForumPrefs.Store.Reads;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>
/// The SQLite store: threads, score snapshots, checkpoints. Opening creates or migrates the schema.
/// SQLite work is synchronous on purpose: Microsoft.Data.Sqlite's async methods are not truly async.
/// </summary>
public sealed class ForumStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private ThreadWriter? _writer;
    private ScoreSightingWriter? _sightings;
    private SqliteTransaction? _open; // a batch written in chunks, committed with its last one (WriteItems)
    private bool _journalsInMemory;
    private bool _foreignKeysOff;

    private ForumStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Until disposed, committed pages are copied from the write-ahead log into the store file on a thread of their own
    /// (<see cref="BackgroundCheckpointer"/>), not by the writer: for bulk ingests, whose writer is the busiest thread.
    /// </summary>
    public IDisposable CheckpointInBackground() => new BackgroundCheckpointer(Path);

    /// <summary>The open connection: the store's own SQL only (other stages read through the typed methods below).</summary>
    internal SqliteConnection Connection => _connection;

    /// <summary>
    /// Opens a store. With <paramref name="create"/> (the verbs that bring data in) a missing or empty file becomes a new
    /// store; without it only an existing store opens. A file that is not a ForumPrefs store is refused untouched.
    /// </summary>
    public static ForumStore Open(string path, bool create = true)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new StoreException($"cannot open store '{path}': folder '{directory}' does not exist");
        try
        {
            if (StoreFile.Inspect(path) != StoreFile.Kind.Ours && !create)
                throw new StoreException($"no store at '{path}' (run 'forumprefs simulate', an ingest or a crawl first)");
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"cannot open store '{path}': {Describe(ex)}", ex);
        }

        SqliteSetup.Ensure();
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            // busy_timeout first: a second process creating or migrating the same store waits instead of failing.
            // A 32 MB page cache: 64 MB was no faster for `bench store` or the ingests, and the 32 MB it frees hold the
            // dump ingest's deeper queue of parsed parts within its memory bound (docs/benchmarks.md).
            Execute(connection, "PRAGMA busy_timeout = 10000; PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 4096;");
            Migrate(connection, path);
            return new ForumStore(connection, path);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StoreException($"cannot open store '{path}': {Describe(ex)}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>How every connection of this store's own opens its file (no pooling: each is held by one owner).</summary>
    internal static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
    }.ToString();

    public int SchemaVersion => ReadUserVersion(_connection);

    /// <summary>A random id given to the store when it was created (or first migrated to schema 4).</summary>
    public string StoreId
    {
        get => _connection.Query("SELECT value FROM store_meta WHERE key = 'store_id'", r => r.GetString(0)).Single();
    }

    /// <summary>
    /// Upserts threads in one transaction and, when given, saves the checkpoint in the same transaction,
    /// so a killed run resumes exactly after the last batch that was committed.
    /// </summary>
    public void WriteThreads(IReadOnlyCollection<ForumThread> threads, Checkpoint? checkpoint = null)
    {
        WritingItems(true, withoutForeignKeys: threads.Sum(thread => thread.Comments.Count) >= BulkComments);
        try
        {
            using var transaction = _connection.BeginTransaction();
            _writer ??= new ThreadWriter(_connection);
            _writer.Bind(transaction);
            foreach (var thread in threads)
                _writer.Write(thread);
            _writer.Complete();
            (_sightings ??= new ScoreSightingWriter(_connection)).ApplyPending(transaction);
            if (checkpoint is not null)
                SaveCheckpoint(checkpoint, transaction);
            transaction.Commit();
        }
        finally
        {
            WritingItems(false);
        }
    }

    /// <summary>
    /// Upserts posts and comments that arrive apart (dump files), in one transaction with the checkpoint. With
    /// <paramref name="commit"/> false the transaction stays open and the next call continues it: a batch handed over
    /// in small chunks (so the objects of each die young) still commits once, with its checkpoint. Rows of a chunk
    /// committed before their own checkpoint (another file's batch committed the transaction) are simply written
    /// again on a resume, which changes nothing: every write is an idempotent upsert.
    /// </summary>
    public void WriteItems(IEnumerable<(Forum Forum, Post Post, DateTimeOffset Observed)> posts,
        IEnumerable<(Forum Forum, Comment Comment, DateTimeOffset Observed)> comments, Checkpoint? checkpoint = null,
        bool commit = true)
    {
        if (_open is null)
            WritingItems(true, withoutForeignKeys: true); // dumps: batches of thousands, handed over in parts
        var transaction = _open ?? _connection.BeginTransaction();
        _open = null;
        try
        {
            _writer ??= new ThreadWriter(_connection);
            _writer.Bind(transaction);
            foreach (var (forum, post, observed) in posts)
                _writer.Write(forum, post, observed);
            foreach (var (forum, comment, observed) in comments)
                _writer.Write(forum, comment, observed);
            _writer.Complete();
            if (!commit)
            {
                _open = transaction;
                return;
            }
            (_sightings ??= new ScoreSightingWriter(_connection)).ApplyPending(transaction);
            if (checkpoint is not null)
                SaveCheckpoint(checkpoint, transaction);
            transaction.Commit();
        }
        finally
        {
            if (_open is null)
            {
                transaction.Dispose(); // committed, or rolled back on failure
                WritingItems(false);
            }
        }
    }

    /// <summary>
    /// Works out the depth of replies stored without one (depth -1), for the posts written to since the last call
    /// (and counts the replies whose depth was known from their parent as they were written since then),
    /// in time linear in their comments; replies whose parents have not arrived wait for a later run, loops are stored
    /// as depth -2 and counted once. The result does not depend on the order in which files arrive.
    /// </summary>
    public DepthReport ResolveDepths()
    {
        // Most replies got their depth as they were written (their parent was known); they count as settled too.
        var report = DepthResolver.Resolve(_connection);
        var settledOnWrite = _writer?.DepthsSettled ?? 0;
        _writer?.DepthsSettled = 0;
        return report with { Resolved = report.Resolved + settledOnWrite };
    }

    /// <summary>
    /// Merges the store at <paramref name="otherPath"/> into this one (see <see cref="StoreMerge"/>): the result is the
    /// store that would have read both stores' inputs, whatever the order of merges; the other store is only read
    /// (migrated to this version's schema first, as opening it with any verb would). A killed merge is run again.
    /// </summary>
    public MergeReport MergeFrom(string otherPath, IProgress<MergeProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        MergeFrom(otherPath, progress, cancellationToken, StoreMerge.DefaultChunkRows);

    internal MergeReport MergeFrom(string otherPath, IProgress<MergeProgress>? progress, CancellationToken cancellationToken, int chunkRows)
    {
        if (SameFile(otherPath, Path))
            throw new StoreException($"'{otherPath}' is this store: nothing to merge");
        using (Open(otherPath, create: false))
        {
            // Opening checks that it is a store and brings its schema to this version.
        }
        try
        {
            return StoreMerge.Run(_connection, _sightings ??= new ScoreSightingWriter(_connection), otherPath, progress,
                cancellationToken, chunkRows);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"cannot merge '{otherPath}': {Describe(ex)}", ex);
        }
    }

    private static bool SameFile(string a, string b)
    {
        static string Resolved(string path) =>
            new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
        return string.Equals(Resolved(a), Resolved(b), StringComparison.Ordinal);
    }

    /// <summary>
    /// Score sightings (vote timelines), in one transaction with the checkpoint. Returns how many were applied; a
    /// sighting of an item not stored yet is kept pending and applied when the item arrives, whatever the order.
    /// </summary>
    public long WriteSightings(Forum forum, IEnumerable<ScoreSighting> sightings, Checkpoint? checkpoint = null)
    {
        WritingItems(true);
        try
        {
            using var transaction = _connection.BeginTransaction();
            var forumId = ThreadWriter.EnsureForum(_connection, transaction, forum);
            _sightings ??= new ScoreSightingWriter(_connection);
            long kept = 0;
            foreach (var sighting in sightings)
                kept += _sightings.WriteOrPend(forumId, sighting) ? 1 : 0;
            if (checkpoint is not null)
                SaveCheckpoint(checkpoint, transaction);
            transaction.Commit();
            return kept;
        }
        finally
        {
            WritingItems(false);
        }
    }

    /// <summary>Every stored post and comment of a forum, as vote timelines need them (id, post, creation time).</summary>
    public IEnumerable<ItemKey> ItemKeys(Forum forum)
    {
        return _connection.Query("""
            SELECT 1, p.id, p.id, p.created_utc FROM posts p JOIN forums f ON f.id = p.forum_id WHERE f.source = $source AND f.name = $name
            UNION ALL
            SELECT 0, c.post_id, c.id, c.created_utc FROM comments c JOIN forums f ON f.id = c.forum_id WHERE f.source = $source AND f.name = $name
            """, r => new ItemKey(r.GetInt64(0) == 1, r.GetString(1), r.GetString(2), Db.Time(r.GetInt64(3))),
            ("$source", forum.Source), ("$name", forum.Name));
    }

    /// <summary>Every score sighting of a post's comments, by comment id, in time order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(DateTimeOffset At, int Score)>> CommentTimelines(long forumId, string postId)
    {
        var sightings = _connection.Query("""
            SELECT id, first_observed_utc, first_score FROM comments WHERE forum_id = $forum AND post_id = $post AND score_hidden = 0
            UNION ALL
            SELECT c.id, s.observed_utc, s.score FROM comments c
            CROSS JOIN score_snapshots s ON s.item_kind = 'comment' AND s.item_pk = c.pk
            WHERE c.forum_id = $forum AND c.post_id = $post
            ORDER BY 1, 2
            """, r => (Id: r.GetString(0), At: Db.Time(r.GetInt64(1)), Score: r.GetInt32(2)), ("$forum", forumId), ("$post", postId));
        // CROSS JOIN keeps SQLite from scanning score_snapshots first (it would, for the constant item_kind): the post's
        // comments come from the key index, each one's sightings from score_snapshots' primary key.
        return sightings.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => (IReadOnlyList<(DateTimeOffset, int)>)g.Select(s => (s.At, s.Score)).ToList());
    }

    /// <summary>Every forum in the store, by source and name.</summary>
    public IReadOnlyList<Forum> Forums() =>
        _connection.Query("SELECT source, name FROM forums ORDER BY source, name", r => new Forum(r.GetString(0), r.GetString(1))).ToList();

    /// <summary>
    /// Streams a forum's threads, one post with all its comments at a time (see <see cref="ThreadReader"/>); with
    /// <paramref name="withTimelines"/>, each comment of a thread with two or more carries its score sightings.
    /// </summary>
    public IEnumerable<StoredThread> Threads(Forum forum, bool withTimelines = false)
    {
        var forumId = withTimelines ? ThreadReader.ForumId(_connection, forum) : null;
        foreach (var thread in ThreadReader.Read(_connection, forum))
        {
            if (forumId is null || thread.Comments.Count < 2)
            {
                yield return thread;
                continue;
            }
            var timelines = CommentTimelines(forumId.Value, thread.Post.Id);
            yield return thread with { Comments = thread.Comments.Select(c => c with { Timeline = timelines.GetValueOrDefault(c.Comment.Id) }).ToList() };
        }
    }

    /// <summary>How many posts a forum has (0 for a forum not in the store).</summary>
    public long PostCount(Forum forum) => _connection.Count(
        "SELECT count(*) FROM posts WHERE forum_id = (SELECT id FROM forums WHERE source = $source AND name = $name)",
        ("$source", forum.Source), ("$name", forum.Name));

    /// <summary>The ids of every stored post of a source, in id order.</summary>
    public IReadOnlyList<string> PostIds(string source) => _connection.Query(
        "SELECT p.id FROM posts p JOIN forums f ON f.id = p.forum_id WHERE f.source = $source ORDER BY p.id",
        r => r.GetString(0), ("$source", source)).ToList();

    /// <summary>Row counts and a checksum of the logical content (see <see cref="StoreFingerprint"/>).</summary>
    public StoreFingerprint Fingerprint() => StoreFingerprint.Of(_connection);

    public Checkpoint? GetCheckpoint(string source, string key) => GetCheckpoint(_connection, source, key);

    internal static Checkpoint? GetCheckpoint(SqliteConnection connection, string source, string key)
    {
        return connection.Query("SELECT state, updated_utc FROM checkpoints WHERE source = $source AND key = $key",
            r => new Checkpoint(source, key, r.GetString(0), Db.Time(r.GetInt64(1))), ("$source", source), ("$key", key)).FirstOrDefault();
    }

    public void SaveCheckpoint(Checkpoint checkpoint, SqliteTransaction? transaction = null) =>
        SaveCheckpoint(_connection, checkpoint, transaction);

    internal static void SaveCheckpoint(SqliteConnection connection, Checkpoint checkpoint, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO checkpoints(source, key, state, updated_utc) VALUES($source, $key, $state, $updated)
            ON CONFLICT(source, key) DO UPDATE SET state = excluded.state, updated_utc = excluded.updated_utc
            """;
        command.Parameters.AddWithValue("$source", checkpoint.Source);
        command.Parameters.AddWithValue("$key", checkpoint.Key);
        command.Parameters.AddWithValue("$state", checkpoint.State);
        command.Parameters.AddWithValue("$updated", checkpoint.Updated.ToUnixTimeSeconds());
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _open?.Dispose(); // chunks of a batch whose checkpoint never came: rolled back, the checkpoint says where to resume
        _writer?.Dispose();
        _sightings?.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// How item writes (posts, comments, sightings) run, against everything else on the connection.
    /// <para>Statement journals: the undo record of one statement inside a longer transaction. SQLite's default spills
    /// one to a temporary file past 64 KiB, and with 16 KiB pages nearly every 32-row upsert did: 3.4 GB of writes to
    /// /var/tmp for a 524 MB dump whose store is 272 MB (strace). Item writes, whose statements each touch a few pages,
    /// keep them in memory for their transaction only; everything else (a merge, pair runs, the depth resolver's final
    /// DELETE, sorts) keeps the default, so one large statement never holds its undo record in memory.
    /// (SQLITE_CONFIG_STMTJRNL_SPILL, process-wide, was tried instead: SQLite allocates the threshold as one chunk, and a
    /// merge failed with SQLITE_FULL at 1 MiB.)</para>
    /// <para>With <paramref name="withoutForeignKeys"/>, foreign keys are off for the write. Its only references are
    /// forum ids the writer made itself (<see cref="ThreadWriter.EnsureForum"/>) and comment pks it read in the same
    /// transaction, so the check could never fail there; and an immediate foreign-key check makes SQLite keep a
    /// statement journal for every multi-row insert, a copy of each 16 KiB page the insert touches: about 15 % of a dump
    /// ingest's time (docs/benchmarks.md). Only bulk writes take it: switching the pragma expires every prepared
    /// statement, and re-preparing them cost 0.3 ms a transaction, which made one-thread transactions (a crawl, saved
    /// pages) 75 % slower. Everything else runs with foreign keys on.</para>
    /// </summary>
    private void WritingItems(bool on, bool withoutForeignKeys = false)
    {
        var pragmas = new List<string>(2);
        if (_journalsInMemory != on)
            pragmas.Add(on ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT");
        var foreignKeysOff = on && withoutForeignKeys;
        if (_foreignKeysOff != foreignKeysOff)
            pragmas.Add(foreignKeysOff ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON");
        if (pragmas.Count > 0)
            Execute(_connection, string.Join("; ", pragmas));
        _journalsInMemory = on;
        _foreignKeysOff = foreignKeysOff;
    }

    // A write of this many comments saves more without foreign keys (about 0.7 µs a comment in the 2 GB dump ingest)
    // than switching them off and on costs (0.3 ms).
    private const int BulkComments = 1_000;

    /// <summary>The one-line account of <paramref name="ex"/> when it is a SQLite error, else null: callers need not know SQLite.</summary>
    public static string? ExplainIfSqlite(Exception ex) => ex is SqliteException sqlite ? Explain(sqlite) : null;

    /// <summary>A one-line account of a SQLite error met while using the store (damage shows only when read).</summary>
    public static string Explain(SqliteException ex) => ex.SqliteErrorCode is 11 or 26
        ? $"the store is damaged ({Describe(ex)}); restore it from a copy, or ingest again into a new store"
        : Describe(ex);

    internal static string Describe(SqliteException ex) => ex.SqliteErrorCode switch
    {
        26 => "the file is not a SQLite database (or is corrupt)",
        11 => "the database file is corrupt",
        14 => "the file cannot be opened (missing, or no permission)",
        8 => "the file is read-only",
        _ => ex.Message.Replace("SQLite Error ", "SQLite error ").ReplaceLineEndings(" "),
    };

    /// <summary>
    /// Brings the schema to the latest version, one migration per immediate transaction. The version is read inside
    /// the transaction, so two processes creating or migrating the same store at once run each migration once.
    /// </summary>
    private static void Migrate(SqliteConnection connection, string path)
    {
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = ReadUserVersion(connection, transaction);
            if (version > Schema.LatestVersion)
                throw new StoreException(
                    $"store '{path}' has schema version {version}, newer than this forumprefs supports ({Schema.LatestVersion}); upgrade forumprefs");
            if (version == Schema.LatestVersion)
            {
                transaction.Commit();
                return;
            }
            Execute(connection, Schema.Migrations[version], transaction);
            Execute(connection, $"PRAGMA user_version = {version + 1}; PRAGMA application_id = {Schema.ApplicationId}", transaction);
            transaction.Commit();
        }
    }

    private static int ReadUserVersion(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        (int)Db.Count(connection, transaction, "PRAGMA user_version");

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
