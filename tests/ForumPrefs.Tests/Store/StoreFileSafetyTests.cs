using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using Microsoft.Data.Sqlite;
using System.Security.Cryptography;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Store;

/// <summary>Files that are not ForumPrefs stores stay untouched; only verbs that bring data in create a store.</summary>
public sealed class StoreFileSafetyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ForeignDatabase(string name)
    {
        var path = _folder.File(name);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES('my data');";
        command.ExecuteNonQuery();
        return path;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Theory]
    [InlineData("stats")]
    [InlineData("pairs")]
    [InlineData("query", "SELECT * FROM notes")]
    [InlineData("export", "--out", "x")]
    [InlineData("simulate", "--posts", "5")]
    [InlineData("ingest", "html", "page.html", "--profile", "old-reddit")]
    public async Task A_foreign_SQLite_file_is_refused_with_one_line_and_left_byte_identical(params string[] verb)
    {
        var path = ForeignDatabase("notes.db");
        File.WriteAllText(_folder.File("page.html"), "<html></html>");
        var before = Hash(path);

        var result = await Support.Cli.RunAsync(_folder.Path, [.. verb, "--db", "notes.db"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a ForumPrefs store", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Equal(before, Hash(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task A_foreign_SQLite_file_is_neither_merged_from_nor_merged_into()
    {
        var foreign = ForeignDatabase("notes.db");
        var before = Hash(foreign);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "3", "--db", "store.db")).ExitCode);

        foreach (var args in new[] { new[] { "merge", "notes.db", "--db", "store.db" }, ["merge", "store.db", "--db", "notes.db"] })
        {
            var result = await Support.Cli.RunAsync(_folder.Path, args);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("is not a ForumPrefs store", result.Error);
            Assert.Single(result.Error.Trim().Split('\n'));
            Assert.Equal(before, Hash(foreign));
            Assert.False(File.Exists(foreign + "-wal"));
        }
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("pairs")]
    [InlineData("query", "SELECT 1")]
    [InlineData("export", "--out", "x")]
    public async Task Verbs_that_only_read_never_create_a_store(params string[] verb)
    {
        var result = await Support.Cli.RunAsync(_folder.Path, [.. verb, "--db", "absent.db"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no store at", result.Error);
        Assert.False(File.Exists(_folder.File("absent.db")));
    }

    [Fact]
    public void An_empty_file_becomes_a_store_and_a_store_carries_its_application_id()
    {
        var path = _folder.File("empty.db");
        File.WriteAllBytes(path, []);

        using (var store = ForumStore.Open(path))
            store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 5))]);

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA application_id";
        Assert.Equal(0x46505246L, command.ExecuteScalar());
        using var reopened = ForumStore.Open(path, create: false);
        Assert.Equal(1, Sql.Scalar(reopened, "SELECT count(*) FROM comments"));
    }

    [Fact]
    public async Task Many_processes_creating_the_same_new_store_at_once_all_succeed()
    {
        // Each open is its own connection (no pooling): SQLite's locks decide, as between processes.
        for (var round = 0; round < 10; round++)
        {
            var path = _folder.File($"race{round}.db");
            var opens = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            {
                using var store = ForumStore.Open(path);
                return store.SchemaVersion;
            }));

            var versions = await Task.WhenAll(opens);

            Assert.All(versions, v => Assert.Equal(versions[0], v));
            using var store = ForumStore.Open(path, create: false);
            Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM store_meta"));
        }
    }

    [Fact]
    public async Task A_second_process_creating_a_store_as_a_child_process_does_not_race()
    {
        // The real thing: two forumprefs processes simulating into one new store at the same moment.
        var runs = Enumerable.Range(0, 2).Select(i => ChildProcess.RunAsync(_folder.Path, "simulate", "--posts", "3", "--forums", $"f{i}", "--db", "shared.db"));

        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        using var store = ForumStore.Open(_folder.File("shared.db"), create: false);
        Assert.Equal(2, Sql.Scalar(store, "SELECT count(*) FROM forums"));
    }
}
