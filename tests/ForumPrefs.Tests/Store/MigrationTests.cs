using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using Microsoft.Data.Sqlite;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Store;

public sealed class MigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_empty_file_is_migrated_to_the_latest_schema_and_reopens_with_its_data()
    {
        var path = _folder.File("empty.db");
        File.WriteAllBytes(path, []);

        using (var store = ForumStore.Open(path))
        {
            Assert.True(store.SchemaVersion >= 1);
            store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 5))]);
        }
        using (var reopened = ForumStore.Open(path))
        {
            Assert.Equal(1, Sql.Scalar(reopened, "SELECT count(*) FROM comments"));
            Assert.Equal("wal", Sql.Text(reopened, "PRAGMA journal_mode"));
            Assert.Equal(1, Sql.Scalar(reopened, "PRAGMA foreign_keys"));
        }
    }

    [Fact]
    public void A_store_from_a_newer_version_is_refused_untouched()
    {
        var path = _folder.File("newer.db");
        using (var store = ForumStore.Open(path)) { }
        SetUserVersion(path, 99);

        var error = Assert.Throws<StoreException>(() => ForumStore.Open(path));
        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("upgrade forumprefs", error.Message);
        Assert.Equal(99, ReadUserVersion(path));
    }

    [Fact]
    public void A_file_that_is_not_a_database_gives_a_clear_error()
    {
        var path = _folder.File("corrupt.db");
        File.WriteAllText(path, new string('x', 8192));

        var error = Assert.Throws<StoreException>(() => ForumStore.Open(path));
        Assert.Contains("not a SQLite database", error.Message);
    }

    [Fact]
    public void A_missing_folder_gives_a_clear_error()
    {
        var error = Assert.Throws<StoreException>(() => ForumStore.Open(_folder.File("no/such/folder/x.db")));
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void A_store_of_the_previous_schema_gains_when_its_tags_and_meta_were_seen()
    {
        var path = _folder.File("previous.db");
        using (var store = ForumStore.Open(path))
            store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 5) with { Meta = """{"role":"assistant"}""" }) with
            {
                Post = Post() with { Tags = ["physics"] },
            }]);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                ALTER TABLE posts DROP COLUMN tags_seen_utc; ALTER TABLE posts DROP COLUMN meta_seen_utc;
                ALTER TABLE comments DROP COLUMN meta_seen_utc; ALTER TABLE pairs DROP COLUMN language; PRAGMA user_version = 7;
                """;
            command.ExecuteNonQuery();
        }

        using var migrated = ForumStore.Open(path);
        Assert.Equal(Sql.Scalar(migrated, "SELECT seen_utc FROM posts"), Sql.Scalar(migrated, "SELECT tags_seen_utc FROM posts"));
        Assert.Equal(0, Sql.Scalar(migrated, "SELECT count(*) FROM posts WHERE meta_seen_utc IS NOT NULL")); // no meta: no time
        Assert.Equal(Sql.Scalar(migrated, "SELECT seen_utc FROM comments"), Sql.Scalar(migrated, "SELECT meta_seen_utc FROM comments"));
    }

    private static void SetUserVersion(string path, int version)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA user_version = {version}";
        command.ExecuteNonQuery();
    }

    private static long ReadUserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }
}
