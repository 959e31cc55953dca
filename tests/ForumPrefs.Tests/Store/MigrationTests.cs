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
