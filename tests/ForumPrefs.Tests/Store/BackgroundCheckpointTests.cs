using ForumPrefs.Core;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Diagnostics;

namespace ForumPrefs.Tests.Store;

/// <summary>
/// Bulk ingests copy the write-ahead log into the store file on a thread of their own: committed pages reach the file
/// while the store is still open and the writer goes on, and what is stored is the same.
/// </summary>
public sealed class BackgroundCheckpointTests : IDisposable
{
    private static readonly Forum Forum = new("reddit", "askscience");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Three committed batches, a few megabytes in all: far below the writer's own checkpoint size (4,096 pages).</summary>
    private static void WriteBatches(ForumStore store)
    {
        var observed = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        for (var batch = 0; batch < 3; batch++)
        {
            var comments = Enumerable.Range(0, 2_000).Select(i => (Forum, new Comment($"c{batch}_{i}", $"p{i % 50}", $"p{i % 50}", 0,
                new string('x', 800) + i, $"u{i}", i, observed.AddDays(-1), null, null, false, false), observed)).ToList();
            store.WriteItems([], comments);
        }
    }

    private static long Comments(ForumStore store) => Sql.Scalar(store, "SELECT count(*) FROM comments");

    [Fact]
    public void Committed_pages_reach_the_store_file_while_the_writer_goes_on()
    {
        var path = _folder.File("background.db");
        using var store = ForumStore.Open(path);
        var before = new FileInfo(path).Length;
        using (store.CheckpointInBackground())
        {
            WriteBatches(store);
            var clock = Stopwatch.StartNew();
            // Wait for all of it: a checkpoint that ran between two batches has copied only the first ones.
            while (new FileInfo(path).Length <= before + (3 << 20) && clock.Elapsed < TimeSpan.FromSeconds(20))
                Thread.Sleep(20);
        }
        Assert.True(new FileInfo(path).Length > before + (3 << 20), $"{before} -> {new FileInfo(path).Length} bytes");
        Assert.Equal(6_000, Comments(store));

        // Without it, the same writes stay in the log until the store closes (the writer's own checkpoint waits for 4,096 pages).
        var control = _folder.File("control.db");
        using var plain = ForumStore.Open(control);
        var controlBefore = new FileInfo(control).Length;
        WriteBatches(plain);
        Thread.Sleep(300);
        Assert.Equal(controlBefore, new FileInfo(control).Length);
        Assert.Equal(6_000, Comments(plain));
    }
}
