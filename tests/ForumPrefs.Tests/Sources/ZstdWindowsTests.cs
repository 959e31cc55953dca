using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Tests.Support;
using System.Text;

namespace ForumPrefs.Tests.Sources;

/// <summary>Counted windows are process-wide: these tests run alone, so no other test's decoder is counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ZstdWindowsCollection
{
    public const string Name = "zstd windows counted";
}

/// <summary>
/// libzstd's window memory: mapped by itself, its pages readied just ahead of the decoder, and within an ingest handed
/// from a finished file to the next. What is decoded is the same either way.
/// </summary>
[Collection(ZstdWindowsCollection.Name)]
public sealed class ZstdWindowsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string LongWindowFile(string name, int lines)
    {
        var path = _folder.File($"RC_{name}.zst");
        DumpFiles.WriteLongWindowZst(path, Enumerable.Range(0, lines).Select(i => DumpFiles.Comment($"{name}{i}", "p1", "t3_p1")));
        return path;
    }

    private static List<string> ReadAll(string path) => ReadAll(path, ZstdDecoder.Native);

    private static List<string> ReadAll(string path, ZstdDecoder decoder)
    {
        using var reader = new DumpLineReader(path, decoder: decoder);
        var lines = new List<string>();
        while (reader.TryRead(out var line, out _))
            lines.Add(Encoding.UTF8.GetString(line));
        Assert.Null(reader.Failure);
        return lines;
    }

    [SkippableFact]
    public void Within_an_ingest_one_window_serves_every_file_and_outside_each_file_maps_its_own()
    {
        Skip.IfNot(NativeZstdStream.Available, "libzstd is not installed here");
        // Streamed with windowLog 31 and no content size in the frame: each decoder asks for the whole 2 GiB window.
        var files = new[] { LongWindowFile("a", 3_000), LongWindowFile("b", 5_000), LongWindowFile("c", 2_000) };

        var (mapped, reused) = (ZstdWindows.MappedCount, ZstdWindows.ReusedCount);
        List<List<string>> shared;
        using (DumpLineReader.ShareWindows())
            shared = files.Select(ReadAll).ToList();
        Assert.Equal(1, ZstdWindows.MappedCount - mapped);
        Assert.Equal(2, ZstdWindows.ReusedCount - reused);

        (mapped, reused) = (ZstdWindows.MappedCount, ZstdWindows.ReusedCount);
        var alone = files.Select(ReadAll).ToList();
        Assert.Equal(3, ZstdWindows.MappedCount - mapped);
        Assert.Equal(0, ZstdWindows.ReusedCount - reused);

        // The same lines as the managed decoder reads, whichever way the window came.
        var managed = files.Select(f => ReadAll(f, ZstdDecoder.Managed)).ToList();
        Assert.Equal(managed, shared);
        Assert.Equal(managed, alone);
        Assert.Equal([3_000, 5_000, 2_000], managed.Select(l => l.Count));
    }

    [SkippableFact]
    public void Windows_released_before_the_scope_ends_go_back_on_a_pool_thread_and_the_next_file_maps_its_own()
    {
        Skip.IfNot(NativeZstdStream.Available, "libzstd is not installed here");
        var files = new[] { LongWindowFile("a", 2_000), LongWindowFile("b", 3_000) };

        var (mapped, reused, unmapped) = (ZstdWindows.MappedCount, ZstdWindows.ReusedCount, ZstdWindows.UnmappedCount);
        List<string> first, second;
        using (DumpLineReader.ShareWindows())
        {
            first = ReadAll(files[0]);
            DumpLineReader.ReleaseSharedWindows();
            // The first window is gone from the pool at once, whenever its pages are freed.
            second = ReadAll(files[1]);
        }
        Assert.Equal(2, ZstdWindows.MappedCount - mapped);
        Assert.Equal(0, ZstdWindows.ReusedCount - reused);
        Assert.True(SpinWait.SpinUntil(() => ZstdWindows.UnmappedCount - unmapped == 2, TimeSpan.FromSeconds(10)),
            $"{ZstdWindows.UnmappedCount - unmapped} of 2 windows given back");
        Assert.Equal(files.Select(f => ReadAll(f, ZstdDecoder.Managed)), [first, second]);
    }

    [SkippableFact]
    public void Window_pages_are_readied_just_ahead_of_what_was_decoded()
    {
        Skip.IfNot(NativeZstdStream.Available, "libzstd is not installed here");
        var content = Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 40_000).Select(i => DumpFiles.Comment($"c{i}", "p1", "t3_p1"))) + "\n");
        var path = _folder.File("ready.zst");
        DumpFiles.WriteZst(path, content);

        using var file = File.OpenRead(path);
        using var stream = new NativeZstdStream(file);
        var buffer = new byte[1 << 20];
        long decoded = 0;
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            decoded += read;
            // Never far ahead: at most as much again as was decoded (1 MB at the start, 16 MB at most), page-rounded.
            Assert.True(stream.WindowBytesReady <= (ulong)(2 * (decoded + buffer.Length) + (1 << 20) + 4096), $"{stream.WindowBytesReady} ready after {decoded}");
        }
        Assert.Equal(content.Length, decoded);
        Assert.True(stream.WindowBytesReady >= (ulong)decoded, $"{stream.WindowBytesReady} ready for {decoded} decoded");
        Assert.True(stream.WindowBytesReady < 1UL << 31, "the whole 2 GiB window was readied for a small file");
    }
}
