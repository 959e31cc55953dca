using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using CompressionMode = SharpCompress.Compressors.CompressionMode;
using SharpCompress.Compressors.BZip2;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ZstdSharp;

namespace ForumPrefs.Tests.Reliability;

/// <summary>
/// Real r/GradSchool dump lines in every compression Pushshift shipped (zstd; bzip2 and xz for 2005–2017; gzip), told
/// by their bytes rather than their names, from files and from pipes; and line quirks of other exports.
/// </summary>
public sealed class DumpFormatTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<Support.Cli.Outcome> Ingest(string db, params string[] files) =>
        Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", .. files, "--db", db]);

    /// <summary>The first lines of the real RS_GradSchool dump (6,175 in all), as bytes.</summary>
    private static byte[] RealLines(int count = 2000)
    {
        using var file = File.OpenRead(Fixtures.File("reddit_college/RS_GradSchool.zst"));
        using var zstd = new DecompressionStream(file);
        zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 31);
        using var reader = new StreamReader(zstd);
        var lines = new StringBuilder();
        for (var i = 0; i < count && reader.ReadLine() is { } line; i++)
            lines.Append(line).Append('\n');
        return Encoding.UTF8.GetBytes(lines.ToString());
    }

    private static (long Posts, string? Digest) Stored(string path)
    {
        using var store = ForumStore.Open(path);
        return (Sql.Scalar(store, "SELECT count(*) FROM posts"),
            Sql.Text(store, "SELECT group_concat(id || ':' || score || ':' || length(title), ',') FROM (SELECT * FROM posts ORDER BY id)"));
    }

    private void Write(string name, byte[] content, Func<Stream, Stream> compress)
    {
        using var file = File.Create(_folder.File(name));
        using var stream = compress(file);
        stream.Write(content);
    }

    [SkippableFact]
    public async Task Bzip2_xz_gzip_and_zstd_dumps_read_alike_whatever_their_names_say()
    {
        var content = RealLines();
        DumpFiles.WriteZst(_folder.File("RS.zst"), content);
        Write("RS.gz", content, s => new GZipStream(s, CompressionLevel.Fastest));
        Write("RS.bz2", content, s => BZip2Stream.Create(s, CompressionMode.Compress, false, false, false));
        Write("RS_bz2_named.zst", content, s => BZip2Stream.Create(s, CompressionMode.Compress, false, false, false));
        File.WriteAllBytes(_folder.File("RS.ndjson"), content);
        var xz = Process.Start(new ProcessStartInfo("xz", ["-k", "-T1", _folder.File("RS.ndjson")]) { RedirectStandardError = true });
        Skip.If(xz is null, "the xz program is not installed (apt-get install xz-utils)");
        xz.WaitForExit();
        Assert.Equal(0, xz.ExitCode);

        var expected = Stored(await IngestOk("zst.db", "RS.zst"));
        Assert.Equal(content.Count(b => b == '\n'), expected.Posts);
        foreach (var (db, file) in new[] { ("gz.db", "RS.gz"), ("bz2.db", "RS.bz2"), ("xz.db", "RS.ndjson.xz"), ("named.db", "RS_bz2_named.zst"), ("plain.db", "RS.ndjson") })
            Assert.Equal(expected, Stored(await IngestOk(db, file)));
    }

    private async Task<string> IngestOk(string db, string file)
    {
        var result = await Ingest(db, file);
        Assert.True(result.ExitCode == 0, $"{file}: {result.Error}");
        return _folder.File(db);
    }

    [SkippableFact]
    public async Task A_cut_bzip2_dump_keeps_what_it_holds_and_counts_the_cut()
    {
        var content = RealLines(int.MaxValue); // several of bzip2's 900 kB blocks, so the first ones are whole

        Write("RS.bz2", content, s => BZip2Stream.Create(s, CompressionMode.Compress, false, false, false));
        var whole = File.ReadAllBytes(_folder.File("RS.bz2"));
        File.WriteAllBytes(_folder.File("RS.bz2"), whole[..(whole.Length / 2)]);

        var result = await Ingest("cut.db", "RS.bz2");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bzip2 stream broken", result.Error);
        Assert.InRange(Stored(_folder.File("cut.db")).Posts, 1, content.Count(b => b == '\n') - 1);
    }

    [SkippableFact]
    public async Task A_dump_read_from_a_pipe_is_stored_like_the_file_and_again_is_known()
    {
        var content = RealLines();
        DumpFiles.WriteZst(_folder.File("RS.zst"), content);
        var expected = Stored(await IngestOk("file.db", "RS.zst"));
        var fifo = _folder.File("RS.pipe");
        Process.Start("mkfifo", [fifo])!.WaitForExit();

        async Task<Support.Cli.Outcome> FromPipe()
        {
            var writer = Task.Run(() => File.WriteAllBytes(fifo, File.ReadAllBytes(_folder.File("RS.zst"))));
            var result = await Ingest("pipe.db", "RS.pipe");
            await writer;
            return result;
        }

        var first = await FromPipe();
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(expected, Stored(_folder.File("pipe.db")));
        // The same stream again: known by its first megabyte, nothing is stored twice.
        var again = await FromPipe();
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(expected, Stored(_folder.File("pipe.db")));
    }

    [Fact]
    public async Task Millisecond_times_are_read_as_such_and_counted_and_a_lone_surrogate_escape_keeps_its_line()
    {
        DumpFiles.WritePlain(_folder.File("RC.ndjson"),
        [
            DumpFiles.Post("p1", created: 1_600_000_000_000),
            DumpFiles.Comment("c1", "p1", "t3_p1").Replace("\"body\":\"Comment c1\"", "\"body\":\"half \\ud800 a pair, whole \\ud83d\\ude00\""),
        ]);

        var result = await Ingest("q.db", "RC.ndjson");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"RC\.ndjson\s+2\s+1\s+1\s+0\s+1\s", result.Out); // lines, posts, comments, clamped, millisecond_times
        using var store = ForumStore.Open(_folder.File("q.db"));
        Assert.Equal(1_600_000_000, Sql.Scalar(store, "SELECT created_utc FROM posts WHERE id = 'p1'"));
        Assert.Equal("half \uFFFD a pair, whole \U0001F600", Sql.Text(store, "SELECT body FROM comments WHERE id = 'c1'"));
    }
}
