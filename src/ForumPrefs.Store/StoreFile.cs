using ForumPrefs.Store.Reads;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>
/// Tells a ForumPrefs store from any other file before anything writes to it: a store carries PRAGMA application_id
/// "FPRF" (stores from before schema 4 carry ForumPrefs' user_version and only its tables). A file that is neither
/// ours nor empty is refused untouched — no tables added, no switch to WAL.
/// </summary>
internal static class StoreFile
{
    public enum Kind { Missing, Empty, Ours }

    private static readonly HashSet<string> OurTables =
    [
        "forums", "posts", "comments", "score_snapshots", "checkpoints", "ground_truth", "pair_runs", "pairs", "store_meta", "touched_posts", "pending_sightings",
    ];

    public static Kind Inspect(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            return Kind.Missing;
        if (file.Length == 0)
            return Kind.Empty;
        SqliteSetup.Ensure();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        var applicationId = connection.Count("PRAGMA application_id");
        var version = connection.Count("PRAGMA user_version");
        var tables = connection.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0)).ToList();
        if (applicationId == Schema.ApplicationId)
            return Kind.Ours;
        if (applicationId == 0 && version == 0 && tables.Count == 0)
            return Kind.Empty;
        var legacy = applicationId == 0 && version >= 1 && version < Schema.FirstVersionWithApplicationId
                     && tables.Contains("forums") && tables.Contains("checkpoints")
                     && tables.All(OurTables.Contains);
        if (legacy)
            return Kind.Ours;
        throw new StoreException($"'{path}' is not a ForumPrefs store (application_id {applicationId}, user_version {version}, " +
            $"tables: {(tables.Count == 0 ? "none" : string.Join(", ", tables.Take(5)) + (tables.Count > 5 ? ", …" : ""))}); it was left untouched");
    }
}
