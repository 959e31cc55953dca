using ForumPrefs.Core;
using Microsoft.Data.Sqlite;
using System.Text.Json;

namespace ForumPrefs.Store;

/// <summary>
/// Where an interrupted merge of the same, unchanged other store stopped. Each chunk's transaction saves it (source
/// "merge", keyed by the other store's id), and the merge's last transaction removes it, so a killed merge run again
/// goes on after the last chunk it committed instead of reading the whole other store again. "Unchanged" is the other
/// store's file sizes and write times, row counts and last keys as the merge found them; a store written to since is
/// merged from the start (its rows already merged are no-ops, so nothing is doubled either way).
/// </summary>
internal sealed record MergeResume(string Signature, string Table, long After)
{
    public const string Source = "merge";

    /// <summary>The other store's files as they are now: the store, and its write-ahead log when it holds frames.</summary>
    public static string SignatureOf(string path)
    {
        static string Of(FileInfo file) => $"{file.Length}@{file.LastWriteTimeUtc.Ticks}";
        var store = new FileInfo(path);
        var log = new FileInfo(path + "-wal");
        return log.Exists && log.Length > 0 ? $"{Of(store)}+{Of(log)}" : Of(store);
    }

    /// <summary>The saved position, when it was saved for this signature.</summary>
    public static MergeResume? Read(SqliteConnection connection, string key, string signature)
    {
        if (ForumStore.GetCheckpoint(connection, Source, key) is not { } checkpoint)
            return null;
        try
        {
            var saved = JsonSerializer.Deserialize<MergeResume>(checkpoint.State);
            return saved is not null && saved.Signature == signature ? saved : null;
        }
        catch (JsonException)
        {
            return null; // not ours to trust: start over
        }
    }

    public void Save(SqliteConnection connection, SqliteTransaction transaction, string key) =>
        ForumStore.SaveCheckpoint(connection, new Checkpoint(Source, key, JsonSerializer.Serialize(this), DateTimeOffset.UtcNow), transaction);

    public static void Remove(SqliteConnection connection, SqliteTransaction transaction, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM main.checkpoints WHERE source = $source AND key = $key";
        command.Parameters.AddWithValue("$source", Source);
        command.Parameters.AddWithValue("$key", key);
        command.ExecuteNonQuery();
    }
}
