using ForumPrefs.Store;

namespace ForumPrefs.Cli.Jobs;

internal static class Sql
{
    /// <summary>A count query with positional parameters $a, $b, ….</summary>
    public static long Count(ForumStore store, string sql, params object[] args)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
            command.Parameters.AddWithValue("$" + (char)('a' + i), args[i]);
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
