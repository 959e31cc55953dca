using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>
/// Copies committed pages from the write-ahead log into the store file on a thread and connection of its own, while
/// the writer goes on: a bulk ingest's writer otherwise did that copying itself (reading each frame back, writing it
/// again, syncing the file) whenever the log passed its checkpoint size, and on two cores the writer is the slowest
/// thread. The checkpoints are SQLite's PASSIVE ones: they never block the writer and never change what is stored; the
/// writer's own automatic checkpoint stays on, so the log still starts over once it is copied (it then finds little
/// or nothing left to copy). A killed run leaves a log that the next open replays, as before.
/// </summary>
internal sealed class BackgroundCheckpointer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly SqliteConnection _connection;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    public BackgroundCheckpointer(string path)
    {
        _connection = new SqliteConnection(ForumStore.ConnectionString(path, SqliteOpenMode.ReadWrite));
        try
        {
            _connection.Open();
            using var command = _connection.CreateCommand();
            // No page cache to speak of: a checkpoint copies frames from the log file to the store file.
            command.CommandText = "PRAGMA busy_timeout = 0; PRAGMA cache_size = -1024;";
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            _connection.Dispose();
            throw new StoreException($"cannot open a second connection to '{path}' for checkpoints: {ex.Message}", ex);
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "store checkpoints" };
        _thread.Start();
    }

    private void Run()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        while (!_stop.Wait(Interval))
        {
            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Busy (the writer's own checkpoint is running) or anything else: the writer's checkpoint still runs.
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }
}
