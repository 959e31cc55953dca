using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Export;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Export;

/// <summary>Names from data never escape --out; a dataset appears whole or not at all and replaces only its own kind.</summary>
public sealed class ExportSafetyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A store whose forums are named by hostile data (a dump's subreddit, a page's data-subreddit).</summary>
    private void StoreWithForums(params string[] names)
    {
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        foreach (var name in names)
        {
            var forum = new Forum("reddit", name);
            store.WriteThreads([new ForumThread(forum, Post(), [Answer("a1", 3, 10, body: "First."), Answer("a2", 9, 60, body: "Second, better."),
                Answer("a3", 20, 120, body: "Third, best.")], T0.AddDays(5))]);
        }
    }

    [Fact]
    public async Task Forum_names_from_data_never_become_paths_outside_out()
    {
        var hostile = new[] { "../../escaped", "/tmp/absolute", "..", "a/b", "C:\\win", "pipe|name\nnew", "ok_name", "ünïcode" };
        StoreWithForums(hostile);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--min-score-age", "0")).ExitCode);

        var result = await Support.Cli.RunAsync(_folder.Path, "export", "--out", "datasets/safe", "--layout", "jsonl");

        Assert.True(result.ExitCode == 0, result.Error);
        var root = _folder.File("datasets/safe");
        var everything = Directory.GetFileSystemEntries(_folder.Path, "*", SearchOption.AllDirectories).Select(Path.GetFullPath).ToList();
        Assert.All(everything.Where(e => !e.StartsWith(_folder.File("forumprefs.db"), StringComparison.Ordinal) && e != _folder.File("datasets")), e => Assert.StartsWith(root, e));
        Assert.False(Directory.Exists("/tmp/absolute"));
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n != "plots").ToList();
        Assert.Equal(hostile.Length, folders.Count);
        Assert.All(folders, f => Assert.Matches("^[A-Za-z0-9][A-Za-z0-9_.-]*$", f!));
        Assert.Contains("ok_name", folders);
        var card = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.DoesNotContain("../", card);
        Assert.DoesNotContain("pipe|name", card);
    }

    [Fact]
    public void Folder_names_fuzz_always_safe_and_distinct()
    {
        var random = new Random(12);
        var alphabet = "aZ09_-./\\:|*?\"<>\n\t ~$%&'()[]{}é中\u0000\u202e".ToCharArray();
        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 20_000; i++)
        {
            var name = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var safe = FolderNames.Safe(name);

            Assert.Matches("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", safe);
            Assert.DoesNotContain("..", safe);
            var combined = Path.GetFullPath(Path.Combine("/out", safe));
            Assert.Equal("/out", Path.GetDirectoryName(combined));
            if (seen.TryGetValue(safe, out var other))
                Assert.Equal(other, name);
            seen[safe] = name;
        }
    }

    [Fact]
    public async Task A_foreign_non_empty_folder_is_refused_unless_forced_and_an_earlier_export_is_replaced()
    {
        StoreWithForums("eli5");
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--min-score-age", "0")).ExitCode);
        Directory.CreateDirectory(_folder.File("mine"));
        File.WriteAllText(_folder.File("mine/thesis.tex"), "do not lose me");

        var refused = await Support.Cli.RunAsync(_folder.Path, "export", "--out", "mine");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error);
        Assert.Equal("do not lose me", File.ReadAllText(_folder.File("mine/thesis.tex")));

        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--out", "data")).ExitCode);
        File.WriteAllText(_folder.File("data/eli5/stale.parquet"), "stale");
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--out", "data")).ExitCode);
        Assert.False(File.Exists(_folder.File("data/eli5/stale.parquet")), "a re-export replaces the earlier one whole");

        // Another store's export is foreign too.
        using (var other = ForumStore.Open(_folder.File("other.db"))) { }
        var otherStore = await Support.Cli.RunAsync(_folder.Path, "export", "--out", "data", "--db", "other.db");
        Assert.NotEqual(0, otherStore.ExitCode);
        Assert.True(File.Exists(_folder.File("data/README.md")));

        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--out", "mine", "--force")).ExitCode);
        Assert.False(File.Exists(_folder.File("mine/thesis.tex")));
        Assert.Empty(Directory.GetDirectories(_folder.Path, ".*partial*"));
    }

    [Fact]
    public async Task Train_refuses_a_folder_that_is_not_a_complete_export()
    {
        StoreWithForums("eli5");
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--min-score-age", "0")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--out", "data")).ExitCode);
        // As a killed export of the old kind left it: the files, no card, no marker.
        Directory.CreateDirectory(_folder.File("half/eli5"));
        File.Copy(_folder.File("data/eli5/train.parquet"), _folder.File("half/eli5/train.parquet"));

        var result = await Support.Cli.RunAsync(_folder.Path, "train", "--data", "half", "--out", "model", "--epochs", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a complete ForumPrefs export", result.Error);
        ExportFolder.RequireComplete(_folder.File("data"));
    }

    [Fact]
    public async Task Run_into_the_dataset_of_a_deleted_store_asks_for_force()
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "run", "--posts", "60", "--skip-train")).ExitCode);
        foreach (var file in Directory.GetFiles(_folder.Path, "forumprefs.db*"))
            File.Delete(file);

        var refused = await Support.Cli.RunAsync(_folder.Path, "run", "--posts", "60", "--skip-train");
        var forced = await Support.Cli.RunAsync(_folder.Path, "run", "--posts", "60", "--skip-train", "--force");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.True(File.Exists(_folder.File($"datasets/simulated/{ExportFolder.MarkerName}")));
    }
}
