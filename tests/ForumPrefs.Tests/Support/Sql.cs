using ForumPrefs.Store;

namespace ForumPrefs.Tests.Support;

public static class Sql
{
    /// <summary>A value from the store at <paramref name="db"/>, opened for this query only.</summary>
    public static long Scalar(string db, string sql)
    {
        using var store = ForumStore.Open(db, create: false);
        return Scalar(store, sql);
    }

    public static List<string> Column(string db, string sql)
    {
        using var store = ForumStore.Open(db, create: false);
        return Column(store, sql, 0);
    }

    public static long Scalar(ForumStore store, string sql)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public static string? Text(ForumStore store, string sql)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    /// <summary>The given column of every row, as text.</summary>
    public static List<string> Column(ForumStore store, string sql, int column)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.GetValue(column).ToString()!);
        return values;
    }

    /// <summary>
    /// A number read from a store another process may be writing: read-only, and 0 while the file or its schema does
    /// not exist yet (used to catch a child process mid-run).
    /// </summary>
    public static long ScalarAt(string path, string sql)
    {
        if (!File.Exists(path))
            return 0;
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var value = command.ExecuteScalar();
            return value is DBNull or null ? 0 : Convert.ToInt64(value);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0;
        }
    }

    /// <summary>Row counts and a digest of every stored value (the store's own logical fingerprint), to compare two stores.</summary>
    public static string Fingerprint(ForumStore store) => store.Fingerprint().ToString();
}
