using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Store;

/// <summary>
/// A merge interrupted between chunks (Ctrl+C, a killed machine) is run again and ends in the store an uninterrupted
/// merge gives; what the other store holds is only read. (That merges equal one store reading everything, in any
/// order, is <see cref="ObservationOrderTests"/>' and the split-by-month CLI test's.)
/// </summary>
public sealed class StoreMergeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_interrupted_merge_run_again_ends_as_an_uninterrupted_one()
    {
        // This store and the other share a third of their comments, seen a day apart with other scores.
        Build("here.db", 0, 300, T0.AddDays(1));
        Build("other.db", 200, 500, T0.AddDays(2));
        var otherBefore = FingerprintOf("other.db");
        File.Copy(_folder.File("here.db"), _folder.File("whole.db"));
        File.Copy(_folder.File("here.db"), _folder.File("interrupted.db"));

        StoreFingerprint whole;
        using (var store = ForumStore.Open(_folder.File("whole.db")))
        {
            var report = store.MergeFrom(_folder.File("other.db"));
            Assert.Equal((300L, 200L), (report.CommentsRead, report.CommentsNew));
            Assert.Equal(101, report.SnapshotsAdded); // the later sighting of each shared comment and of the post
            whole = store.Fingerprint();
        }
        using (var store = ForumStore.Open(_folder.File("interrupted.db")))
        {
            using var cancel = new CancellationTokenSource();
            var chunks = 0;
            var progress = new Progress(p =>
            {
                if (p.Done > 0 && ++chunks == 5) // the post, then 160 comments: the first 100 shared
                    cancel.Cancel();
            });
            Assert.Throws<OperationCanceledException>(() => store.MergeFrom(_folder.File("other.db"), progress, cancel.Token, chunkRows: 40));
            var partial = store.Fingerprint();
            Assert.InRange(partial.RowCounts["comments"], 301, 499);

            // It goes on after the last chunk it committed, not from the start.
            var rest = store.MergeFrom(_folder.File("other.db"));
            Assert.True(rest.Resumed);
            var mergedBefore = 100 + (partial.RowCounts["comments"] - 300); // the shared comments, then new ones
            Assert.Equal(300 - mergedBefore, rest.CommentsRead);
            Assert.Equal(whole.ToString(), store.Fingerprint().ToString());
            Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM checkpoints WHERE source = 'merge'"));
        }
        Assert.Equal(otherBefore.ToString(), FingerprintOf("other.db").ToString());
    }

    [Fact]
    public void An_interrupted_merge_of_a_store_written_to_since_starts_over()
    {
        Build("here.db", 0, 300, T0.AddDays(1));
        Build("other.db", 200, 500, T0.AddDays(2));
        using var store = ForumStore.Open(_folder.File("here.db"));
        using (var cancel = new CancellationTokenSource())
        {
            var chunks = 0;
            var progress = new Progress(p =>
            {
                if (p.Done > 0 && ++chunks == 5)
                    cancel.Cancel();
            });
            Assert.Throws<OperationCanceledException>(() => store.MergeFrom(_folder.File("other.db"), progress, cancel.Token, chunkRows: 40));
        }
        // A comment of the part already merged is seen again, later and with another score, and a new one comes.
        using (var other = ForumStore.Open(_folder.File("other.db")))
            other.WriteItems([], [(Threads.Forum, Answer("c210", 99), T0.AddDays(3)), (Threads.Forum, Answer("c900", 1), T0.AddDays(3))]);

        var again = store.MergeFrom(_folder.File("other.db"));

        Assert.False(again.Resumed);
        Assert.Equal(301, again.CommentsRead);
        Assert.Equal(99, Sql.Scalar(store, "SELECT score FROM comments WHERE id = 'c210'"));
    }

    private void Build(string name, int from, int to, DateTimeOffset observed)
    {
        using var store = ForumStore.Open(_folder.File(name));
        store.WriteItems([(Threads.Forum, Post(), observed)],
            Enumerable.Range(from, to - from).Select(i => (Threads.Forum, Answer($"c{i}", i % 7 + (int)(observed - T0).TotalDays), observed)));
    }

    private StoreFingerprint FingerprintOf(string name)
    {
        using var store = ForumStore.Open(_folder.File(name), create: false);
        return store.Fingerprint();
    }

    private sealed class Progress(Action<MergeProgress> report) : IProgress<MergeProgress>
    {
        public void Report(MergeProgress value) => report(value);
    }
}
