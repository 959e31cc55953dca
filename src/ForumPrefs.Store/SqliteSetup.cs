using SQLitePCL;

namespace ForumPrefs.Store;

/// <summary>
/// Process-wide SQLite settings, applied once before the first connection opens. Every ForumPrefs connection is
/// used by one thread at a time, so SQLite's per-call connection mutex (serialized mode) and its allocation
/// statistics (a global mutex around every malloc) are pure cost: together about a fifth of the binding time of a
/// bulk insert. If SQLite was already initialised in this process (someone opened a connection first), the calls
/// are refused and the defaults stay, which is slower and equally correct.
/// </summary>
internal static class SqliteSetup
{
    private const int ConfigMultiThread = 2; // SQLITE_CONFIG_MULTITHREAD
    private const int ConfigMemStatus = 9;   // SQLITE_CONFIG_MEMSTATUS

    private static readonly Lazy<bool> Applied = new(() =>
    {
        Batteries_V2.Init(); // what Microsoft.Data.Sqlite does on first use; idempotent
        var multiThread = raw.sqlite3_config(ConfigMultiThread) == raw.SQLITE_OK;
        raw.sqlite3_config(ConfigMemStatus, 0);
        return multiThread;
    });

    /// <summary>Applies the settings (once); true when SQLite runs without per-connection mutexes.</summary>
    public static bool Ensure() => Applied.Value;
}
