using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store.Reads;

/// <summary>
/// The one thin typed layer over ADO.NET the store's reads go through (Dapper's idea, without its reflection):
/// named parameters in, rows mapped by one function, streamed. Within a write transaction, the same calls take the
/// transaction. Hot write paths use prepared native statements instead (<see cref="PreparedCommand"/>).
/// </summary>
internal static class Db
{
    public static IEnumerable<T> Query<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map,
        params (string Name, object? Value)[] parameters) => Query(connection, null, sql, map, parameters);

    public static IEnumerable<T> Query<T>(this SqliteTransaction transaction, string sql, Func<SqliteDataReader, T> map,
        params (string Name, object? Value)[] parameters) => Query(transaction.Connection!, transaction, sql, map, parameters);

    public static long Count(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Count(connection, null, sql, parameters);

    public static long Count(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Command(connection, null, sql, parameters);

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0; // a large store's read may take longer than ADO.NET's 30 s default
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static DateTimeOffset Time(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    private static IEnumerable<T> Query<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        Func<SqliteDataReader, T> map, (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            yield return map(reader);
    }
}
