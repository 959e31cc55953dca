using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForumPrefs.Store;

/// <summary>
/// Runs a user's SQL on a read-only connection. Besides opening the file read-only, an authorizer refuses
/// everything that is not a read (writes, ATTACH, extension loading, setting pragmas), even on temp or
/// in-memory databases, so a query can never change or escape the store.
/// </summary>
public static class ReadOnlyQuery
{
    private const int Ok = 0, Deny = 1;
    private const string SchemaChange = "changing the schema";
    private const int Pragma = 19, Read = 20, Select = 21, Function = 31, Recursive = 33;

    private static readonly HashSet<string> IntrospectionPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "database_list", "collation_list", "function_list", "pragma_list", "compile_options",
        "user_version", "schema_version", "page_count", "page_size", "freelist_count", "journal_mode", "encoding",
    };

    // Pragmas that only read when given an argument (a table or index name).
    private static readonly HashSet<string> PragmasTakingName = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    };

    /// <summary>Runs the query and keeps every row (for small results; the command line streams with <see cref="Open"/>).</summary>
    public static QueryResult Run(string databasePath, string sql, TimeSpan? timeout = null)
    {
        using var stream = Open(databasePath, sql, timeout);
        return new QueryResult(stream.Columns, stream.Rows().ToList());
    }

    /// <summary>
    /// Prepares one read-only statement and streams its rows. A second statement after ';' is refused (it would
    /// otherwise be ignored silently); after <paramref name="timeout"/> the query is interrupted with a clear error.
    /// </summary>
    public static QueryStream Open(string databasePath, string sql, TimeSpan? timeout = null)
    {
        if (StoreFile.Inspect(databasePath) != StoreFile.Kind.Ours)
            throw new StoreException($"no store at '{databasePath}' (run 'forumprefs simulate' or a crawl first)");
        SqliteSetup.Ensure();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        var stream = new QueryStream(connection, timeout);
        try
        {
            connection.Open();
            raw.sqlite3_set_authorizer(connection.Handle, (_, action, arg1, arg2, _, _) =>
            {
                var verdict = Authorize(action, arg1, arg2);
                // SQLite asks about the write to sqlite_master before the CREATE or DROP itself: name the latter.
                if (verdict is not null && (stream.Refused is null || stream.Refused == SchemaChange))
                    stream.Refused = verdict;
                return verdict is null ? Ok : Deny;
            }, null);
            RequireOneStatement(connection, sql);
            stream.Start(sql);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void RequireOneStatement(SqliteConnection connection, string sql)
    {
        var result = raw.sqlite3_prepare_v2(connection.Handle, sql, out var first, out var tail);
        first.Dispose();
        if (result != raw.SQLITE_OK)
            return; // the real run reports the error
        if (string.IsNullOrWhiteSpace(tail))
            return;
        var next = raw.sqlite3_prepare_v2(connection.Handle, tail, out var second, out _);
        // Only comments or ';' follow when the rest prepares to nothing; a refused or broken rest is a statement too.
        var empty = next == raw.SQLITE_OK && (second is null || second.IsInvalid);
        second?.Dispose();
        if (empty)
            return;
        throw new StoreException("the query has more than one statement: run one statement at a time (nothing was run)");
    }

    /// <summary>Null when the action is a read; otherwise a short description of what was refused.</summary>
    private static string? Authorize(int action, string? arg1, string? arg2) => action switch
    {
        Read or Select or Recursive => null,
        Function when string.Equals(arg2, "load_extension", StringComparison.OrdinalIgnoreCase) => "load_extension()",
        Function => null,
        Pragma when arg1 is not null && IntrospectionPragmas.Contains(arg1)
                     && (arg2 is null || PragmasTakingName.Contains(arg1)) => null,
        Pragma => $"PRAGMA {arg1}{(arg2 is null ? "" : " = " + arg2)}",
        18 or 23 or 9 when arg1 is not null && arg1.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase) => SchemaChange,
        18 => $"INSERT into {arg1}",
        23 => $"UPDATE of {arg1}",
        9 => $"DELETE from {arg1}",
        24 => "ATTACH",
        25 => "DETACH",
        >= 1 and <= 8 or 29 => "CREATE",
        >= 10 and <= 17 or 30 => "DROP",
        26 => "ALTER TABLE",
        _ => $"this statement (SQLite action {action})",
    };
}
