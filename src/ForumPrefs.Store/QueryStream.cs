using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForumPrefs.Store;

/// <summary>
/// A running read-only query: its columns, and its rows read one at a time, so a result of any size prints in
/// constant memory. A timer interrupts SQLite when the time is up; the error says so.
/// </summary>
public sealed class QueryStream : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeSpan? _timeout;
    private SqliteCommand? _command;
    private SqliteDataReader? _reader;
    private Timer? _timer;
    private volatile bool _timedOut;

    internal QueryStream(SqliteConnection connection, TimeSpan? timeout)
    {
        _connection = connection;
        _timeout = timeout;
    }

    public IReadOnlyList<string> Columns { get; private set; } = [];

    /// <summary>What the authorizer refused, if anything.</summary>
    internal string? Refused { get; set; }

    internal void Start(string sql)
    {
        if (_timeout is { } limit && limit > TimeSpan.Zero)
            _timer = new Timer(_ => Interrupt(), null, limit, Timeout.InfiniteTimeSpan);
        _command = _connection.CreateCommand();
        _command.CommandText = sql;
        _command.CommandTimeout = 0;
        _reader = Guard(() => _command.ExecuteReader());
        Columns = Enumerable.Range(0, _reader.FieldCount).Select(_reader.GetName).ToArray();
    }

    public IEnumerable<object?[]> Rows()
    {
        var reader = _reader ?? throw new InvalidOperationException("the query has not started");
        while (Guard(reader.Read))
        {
            var row = new object?[Columns.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
        }
    }

    private void Interrupt()
    {
        _timedOut = true;
        if (_connection.Handle is { } handle)
            raw.sqlite3_interrupt(handle);
    }

    private T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SqliteException ex) when (_timedOut)
        {
            throw new StoreException($"query stopped after {_timeout!.Value.TotalSeconds:0.#} s (raise --timeout, or 0 for none)", ex);
        }
        catch (SqliteException ex) when (Refused is not null)
        {
            throw new StoreException($"query refused: the store is read-only here ({Refused} is not allowed)", ex);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"query failed: {ForumStore.Describe(ex)}", ex);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _reader?.Dispose();
        _command?.Dispose();
        _connection.Dispose();
    }
}
