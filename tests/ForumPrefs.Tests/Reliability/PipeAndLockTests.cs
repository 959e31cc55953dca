using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using Microsoft.Data.Sqlite;
using System.Diagnostics;

namespace ForumPrefs.Tests.Reliability;

/// <summary>A closed pipe stops a query; a long `pairs` does not keep writers out of the store.</summary>
public sealed class PipeAndLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_query_piped_into_head_stops_when_head_has_its_line()
    {
        ForumStore.Open(_folder.File("forumprefs.db")).Dispose();
        const string endless = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r";
        var start = new ProcessStartInfo("sh") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        // --timeout 0: nothing but the closed pipe can stop it (and coreutils' timeout, should it run on regardless).
        foreach (var arg in new[] { "-c", "timeout -s KILL 60 dotnet \"$0\" query \"$1\" --format csv --timeout 0 | head -1",
                     Path.Combine(AppContext.BaseDirectory, "forumprefs.dll"), endless })
            start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var shell = Process.Start(start)!;
        var output = shell.StandardOutput.ReadToEndAsync();
        _ = shell.StandardError.ReadToEndAsync();

        await shell.WaitForExitAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the query ran on for {clock.Elapsed} after head closed the pipe");
        Assert.Equal("x", (await output).Trim());
    }

    [Fact]
    public async Task Output_redirected_to_a_file_is_not_written_over_by_the_next_command()
    {
        ForumPrefs.Store.ForumStore.Open(_folder.File("forumprefs.db")).Dispose();
        var start = new ProcessStartInfo("sh") { WorkingDirectory = _folder.Path, RedirectStandardError = true };
        // One redirection shared by three commands, as scripts and CI logs have it.
        foreach (var arg in new[] { "-c", "{ echo before; dotnet \"$0\" query 'SELECT 41 + 1 AS answer' --format csv; echo after; } > log.txt",
                     Path.Combine(AppContext.BaseDirectory, "forumprefs.dll") })
            start.ArgumentList.Add(arg);
        using var shell = Process.Start(start)!;
        _ = shell.StandardError.ReadToEndAsync();

        await shell.WaitForExitAsync();

        Assert.Equal(["before", "answer", "42", "after"], File.ReadAllLines(_folder.File("log.txt")));
    }

    [Fact]
    public void Building_pairs_leaves_the_store_open_to_writers_until_the_swap()
    {
        var path = _folder.File("pairs.db");
        using var store = SimulatedStore.Create(path, posts: 300);
        var forum = store.Forums().First();
        var writes = 0;

        PairingJob.Run(store, forum, new ShpPolicy(new ShpOptions()), new SplitAssigner(), done =>
        {
            // Another process's ingest, meanwhile: waiting at most a second, any lock held by `pairs` fails it.
            using var other = new SqliteConnection($"Data Source={path};Default Timeout=1;Pooling=False");
            other.Open();
            using var write = other.CreateCommand();
            write.CommandText = "INSERT INTO checkpoints(source, key, state, updated_utc) VALUES ('test', $key, '{}', 0)";
            write.Parameters.AddWithValue("$key", $"write {done}");
            write.ExecuteNonQuery();
            writes++;
        });

        Assert.True(writes > 0);
        Assert.Equal(writes, Sql.Scalar(store, "SELECT count(*) FROM checkpoints WHERE source = 'test'"));
        Assert.True(Sql.Scalar(store, "SELECT count(*) FROM pairs") > 0);
    }
}
