using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForumPrefs.Store;

/// <summary>
/// A statement prepared once on the connection's handle and re-bound per row (values through
/// <see cref="NativeBind"/>). Microsoft.Data.Sqlite looks parameters up by name on every execution, which costs
/// more than SQLite's own insert at the write rates the store needs; here each name is resolved to its index once.
/// Runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _indexes = [];
    private readonly nint _native;
    private bool _referenced;

    public PreparedCommand(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        // Hold the handle for the statement's lifetime so the pointer handed to NativeBind stays valid.
        _statement.DangerousAddRef(ref _referenced);
        _native = _statement.DangerousGetHandle();
    }

    public PreparedCommand Set(string name, long value) => Set(Index(name), value);
    public PreparedCommand Set(string name, long? value) => Set(Index(name), value);
    public PreparedCommand Set(string name, bool value) => Set(Index(name), value);
    public PreparedCommand Set(string name, double? value) => Set(Index(name), value);
    public PreparedCommand Set(string name, string? value) => Set(Index(name), value);

    // Positional setters (1-based), for statements written with '?' placeholders.
    public PreparedCommand Set(int index, long value)
    {
        Check(NativeBind.Int64(_native, index, value));
        return this;
    }

    public PreparedCommand Set(int index, long? value) => value is { } v ? Set(index, v) : SetNull(index);

    public PreparedCommand Set(int index, bool value) => Set(index, value ? 1L : 0L);

    public PreparedCommand Set(int index, double? value)
    {
        if (value is not { } v)
            return SetNull(index);
        Check(NativeBind.Double(_native, index, v));
        return this;
    }

    public PreparedCommand Set(int index, string? value)
    {
        if (value is null)
            return SetNull(index);
        Check(NativeBind.Text(_native, index, value));
        return this;
    }

    /// <summary>Executes the statement; returns the number of rows it changed (0 for a no-op upsert).</summary>
    public int Run()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
        return raw.sqlite3_changes(_db);
    }

    /// <summary>Executes a query of one integer (a count, a max) and returns it.</summary>
    public long Long()
    {
        var result = raw.sqlite3_step(_statement);
        try
        {
            if (result != raw.SQLITE_ROW)
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
            return raw.sqlite3_column_int64(_statement, 0);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Steps a query: true with a row to read (<see cref="Int64"/>, <see cref="Text"/>), false once it is done (and
    /// reset for the next run). Read every row, or the statement stays open.
    /// </summary>
    public bool Next()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
            return true;
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
        return false;
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>Executes a query of at most one integer; null when it returns no row (or a NULL).</summary>
    public long? LongOrNull()
    {
        var result = raw.sqlite3_step(_statement);
        try
        {
            if (result == raw.SQLITE_DONE)
                return null;
            if (result != raw.SQLITE_ROW)
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
            return raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(_statement, 0);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose()
    {
        if (_referenced)
            _statement.DangerousRelease();
        _statement.Dispose();
    }

    private PreparedCommand SetNull(int index)
    {
        Check(NativeBind.Null(_native, index));
        return this;
    }

    private int Index(string name)
    {
        if (_indexes.TryGetValue(name, out var index))
            return index;
        index = raw.sqlite3_bind_parameter_index(_statement, name);
        if (index == 0)
            throw new InvalidOperationException($"statement has no parameter {name}");
        return _indexes[name] = index;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
    }
}
