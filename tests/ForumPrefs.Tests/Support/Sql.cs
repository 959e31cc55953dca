using ForumPrefs.Store;
using System.Security.Cryptography;
using System.Text;

namespace ForumPrefs.Tests.Support;

public static class Sql
{
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

    /// <summary>Row counts and a digest of every stored value that a run writes, to compare two stores.</summary>
    public static string Fingerprint(ForumStore store) => string.Join(" | ",
        Scalar(store, "SELECT count(*) FROM posts"),
        Scalar(store, "SELECT count(*) FROM comments"),
        Scalar(store, "SELECT count(*) FROM score_snapshots"),
        Scalar(store, "SELECT count(*) FROM ground_truth"),
        Digest(store, "SELECT f.source, f.name, p.* FROM posts p JOIN forums f ON f.id = p.forum_id ORDER BY f.source, f.name, p.id"),
        Digest(store, "SELECT f.source, f.name, c.id, c.post_id, c.parent_id, c.depth, c.body, c.author, c.score, c.created_utc, c.edited_utc, c.distinguished, c.stickied, c.is_submitter, c.observed_utc, c.first_score FROM comments c JOIN forums f ON f.id = c.forum_id ORDER BY f.source, f.name, c.id"),
        Digest(store, "SELECT c.id, g.quality FROM ground_truth g JOIN comments c ON c.pk = g.comment_pk ORDER BY c.id"));

    private static string Digest(ForumStore store, string sql)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                // Skip the surrogate keys: they depend on write order, not on content.
                if (reader.GetName(i) is "pk" or "forum_id")
                    continue;
                hash.AppendData(Encoding.UTF8.GetBytes((reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "\u001f"));
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }
}
