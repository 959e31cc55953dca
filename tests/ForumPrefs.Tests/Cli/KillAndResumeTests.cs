using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using Microsoft.Data.Sqlite;
using System.Diagnostics;

namespace ForumPrefs.Tests.Cli;

/// <summary>A simulate run killed hard part-way leaves a store that opens, and rerunning completes it exactly.</summary>
public sealed class KillAndResumeTests : IDisposable
{
    private const int Posts = 3000;
    private const string CommittedPostsSql = "SELECT coalesce((SELECT json_extract(state, '$.next') FROM checkpoints LIMIT 1), 0)";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_killed_simulate_resumes_to_the_same_store_as_an_uninterrupted_run()
    {
        var args = new[] { "simulate", "--posts", $"{Posts}", "--batch", "20", "--forums", "eli5,askscience" };
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "whole.db"])).ExitCode);

        var killedAt = await KillMidwayAsync([.. args, "--db", "killed.db"]);
        using (var interrupted = ForumStore.Open(_folder.File("killed.db")))
        {
            var posts = Sql.Scalar(interrupted, "SELECT count(*) FROM posts");
            Assert.InRange(posts, 1, Posts - 1);
            Assert.Equal(killedAt, posts);
        }
        var resumed = await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "killed.db"]);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resuming simulation", resumed.Error);
        using var whole = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Fingerprint(whole), Sql.Fingerprint(killed));
        Assert.Equal(0, Sql.Scalar(killed, "SELECT count(*) FROM (SELECT forum_id, id FROM comments GROUP BY forum_id, id HAVING count(*) > 1)"));
    }

    /// <summary>Starts forumprefs as a child process and kills it once a few batches are committed; returns the committed post count.</summary>
    private async Task<long> KillMidwayAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forumprefs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var deadline = Stopwatch.StartNew();
        long committed = 0;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !child.HasExited)
        {
            committed = Sql.ScalarAt(_folder.File("killed.db"), CommittedPostsSql);
            if (committed >= 200)
                break;
            await Task.Delay(20);
        }
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        Assert.True(committed >= 200 && committed < Posts, $"the child was not caught mid-run (committed {committed})");
        return Sql.ScalarAt(_folder.File("killed.db"), CommittedPostsSql);
    }
}
