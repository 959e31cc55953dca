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

    public static QueryResult Run(string databasePath, string sql)
    {
        if (!File.Exists(databasePath))
            throw new StoreException($"no store at '{databasePath}' (run 'forumprefs simulate' or a crawl first)");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        string? refused = null;
        try
        {
            connection.Open();
            raw.sqlite3_set_authorizer(connection.Handle, (_, action, arg1, arg2, _, _) =>
            {
                var verdict = Authorize(action, arg1, arg2);
                // SQLite asks about the write to sqlite_master before the CREATE or DROP itself: name the latter.
                if (verdict is not null && (refused is null || refused == SchemaChange))
                    refused = verdict;
                return verdict is null ? Ok : Deny;
            }, null);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            return QueryResult.Read(reader);
        }
        catch (SqliteException ex) when (refused is not null)
        {
            throw new StoreException($"query refused: the store is read-only here ({refused} is not allowed)", ex);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"query failed: {ForumStore.Describe(ex)}", ex);
        }
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
