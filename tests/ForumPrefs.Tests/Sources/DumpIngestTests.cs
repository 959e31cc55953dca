using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text;
using ZstdSharp;
using static ForumPrefs.Tests.Support.DumpFiles;

namespace ForumPrefs.Tests.Sources;

public sealed class DumpIngestTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<Support.Cli.Outcome> Ingest(string db, params string[] files) =>
        Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", .. files, "--db", db]);

    [Fact]
    public async Task A_long_window_zst_is_read()
    {
        var lines = new[] { Post("p1") }.Concat(Enumerable.Range(0, 500).Select(i => Comment($"c{i}", "p1", "t3_p1"))).ToList();
        WriteLongWindowZst(_folder.File("RC_test.zst"), lines);

        // A decoder without a 2 GiB window limit refuses the frame: the file really is --long=31.
        using (var plainDecoder = new DecompressionStream(File.OpenRead(_folder.File("RC_test.zst"))))
            Assert.ThrowsAny<Exception>(() => plainDecoder.ReadExactly(new byte[16]));

        var result = await Ingest("z.db", "RC_test.zst");

        Assert.Equal(0, result.ExitCode);
        using var store = ForumStore.Open(_folder.File("z.db"));
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(500, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth = 0"));
    }

    [Fact]
    public async Task Every_bad_input_kind_is_counted_and_every_valid_line_is_stored()
    {
        var bytes = new MemoryStream();
        void Line(string text) => bytes.Write(Encoding.UTF8.GetBytes(text + "\n"));
        Line(Post("p1"));
        Line("""{"id":"broken","subreddit":"askscience",""");                       // malformed JSON
        Line(Comment("c1", "p1", "t3_p1"));
        bytes.Write([.. Encoding.UTF8.GetBytes("""{"id":"bad","body":"""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}\n")]); // invalid UTF-8
        Line(Comment("c2", "p1", "t1_c1"));
        Line("""{"id":"t","subreddit":"askscience","created_utc":1600000000,"title":"x","score":"lots"}"""); // wrong type
        Line(Comment("c3", "p1", "t3_p1"));
        Line("""{"id":"m","subreddit":"askscience","title":"no time"}""");          // missing field
        Line(Comment("c4", "p1", "t1_c2"));
        File.WriteAllBytes(_folder.File("RS_mixed.ndjson"), bytes.ToArray());

        // A .zst cut short: the lines decoded before the cut are kept, the cut is counted.
        var many = Enumerable.Range(0, 3000).Select(i => Comment($"z{i}", "p1", "t3_p1", created: 1_600_000_200 + i)).ToList();
        WriteLongWindowZst(_folder.File("RC_cut.zst"), many);
        var whole = File.ReadAllBytes(_folder.File("RC_cut.zst"));
        File.WriteAllBytes(_folder.File("RC_cut.zst"), whole[..(whole.Length * 2 / 3)]);

        var result = await Ingest("bad.db", "RS_mixed.ndjson", "RC_cut.zst");

        Assert.Equal(3, result.ExitCode);
        var table = result.Out;
        // file, lines, posts, comments, clamped_scores, millisecond_times, then each skip kind.
        Assert.Matches(@"RS_mixed\.ndjson\s+9\s+1\s+4\s+0\s+0\s+1\s+1\s+1\s+1\s+0\s+0\s+0", table);
        Assert.Matches(@"RC_cut\.zst\s+\d+\s+0\s+\d+\s+0\s+0\s+0\s+0\s+0\s+0\s+1\s+0\s+0", table);
        Assert.Contains("RS_mixed.ndjson at byte", result.Error);
        using var store = ForumStore.Open(_folder.File("bad.db"));
        Assert.Equal(["c1", "c2", "c3", "c4"], Texts(store, "SELECT id FROM comments WHERE id LIKE 'c%' ORDER BY id"));
        var cutKept = Sql.Scalar(store, "SELECT count(*) FROM comments WHERE id LIKE 'z%'");
        Assert.InRange(cutKept, 1, 2999);
        // Kept lines of the cut file are exactly a prefix of it.
        Assert.Equal(cutKept - 1, Sql.Scalar(store, "SELECT max(CAST(substr(id, 2) AS INTEGER)) FROM comments WHERE id LIKE 'z%'"));
        Assert.Equal(2, Sql.Scalar(store, "SELECT depth FROM comments WHERE id = 'c4'"));

        var stats = await Support.Cli.RunAsync(_folder.Path, "stats", "--db", "bad.db", "--format", "json");
        Assert.Contains("\"kind\": \"truncated_zstd\"", stats.Out);
        Assert.Contains("\"kind\": \"malformed_json\"", stats.Out);
    }

    [Fact]
    public async Task Subreddit_and_date_filters_keep_only_what_was_asked_for()
    {
        WritePlain(_folder.File("RS_mixed.ndjson"),
        [
            Post("a", subreddit: "AskScience", created: 1_600_000_000),
            Post("b", subreddit: "funny", created: 1_600_000_000),
            Post("c", subreddit: "askscience", created: 1_700_000_000),
            Post("d", subreddit: "explainlikeimfive", created: 1_600_000_500),
        ]);

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "reddit-dump", "RS_mixed.ndjson", "--db", "f.db",
            "--subreddit", "ASKSCIENCE,explainlikeimfive", "--since", "2020-09-01", "--until", "2021-01-01");

        Assert.Equal(0, result.ExitCode);
        using var store = ForumStore.Open(_folder.File("f.db"));
        Assert.Equal("a,d", Sql.Text(store, "SELECT group_concat(id, ',') FROM (SELECT id FROM posts ORDER BY id)"));
    }

    [Fact]
    public void Lines_longer_than_the_limit_are_skipped_and_counted()
    {
        WritePlain(_folder.File("long.ndjson"), [Post("a"), "{\"x\":\"" + new string('y', 5000) + "\"}", Post("b")]);

        using var reader = new ForumPrefs.Sources.RedditDump.DumpLineReader(_folder.File("long.ndjson"), maxLineBytes: 1000);
        var ids = new List<string>();
        while (reader.TryRead(out var line, out _))
            ids.Add(ForumPrefs.Sources.RedditDump.DumpLineParser.Parse(line).Item!.Post!.Id);

        Assert.Equal(["a", "b"], ids);
        Assert.Equal(1, reader.TooLongLines);
    }

    [Fact]
    public async Task A_thread_split_across_an_RS_and_two_RC_files_is_rebuilt_the_same_in_any_order()
    {
        WritePlain(_folder.File("RS.ndjson"), [Post("p1"), Post("p2", subreddit: "AskScience")]);
        WritePlain(_folder.File("RC_a.ndjson"), [Comment("a1", "p1", "t3_p1"), Comment("a2", "p1", "t1_b1"), Comment("a3", "p2", "t1_b3")]);
        WritePlain(_folder.File("RC_b.ndjson"), [Comment("b1", "p1", "t1_a1"), Comment("b2", "p1", "t1_a2"), Comment("b3", "p2", "t3_p2")]);
        string[][] orders =
        [
            ["RS.ndjson", "RC_a.ndjson", "RC_b.ndjson"], ["RS.ndjson", "RC_b.ndjson", "RC_a.ndjson"],
            ["RC_a.ndjson", "RS.ndjson", "RC_b.ndjson"], ["RC_a.ndjson", "RC_b.ndjson", "RS.ndjson"],
            ["RC_b.ndjson", "RS.ndjson", "RC_a.ndjson"], ["RC_b.ndjson", "RC_a.ndjson", "RS.ndjson"],
        ];
        var fingerprints = new List<string>();
        for (var i = 0; i < orders.Length; i++)
        {
            // One file per run, as monthly files arrive.
            foreach (var file in orders[i])
                Assert.Equal(0, (await Ingest($"o{i}.db", file)).ExitCode);
            using var store = ForumStore.Open(_folder.File($"o{i}.db"));
            fingerprints.Add(Sql.Fingerprint(store) + string.Join(",", Texts(store, "SELECT id || ':' || depth || ':' || parent_id FROM comments ORDER BY id")));
        }

        Assert.Single(fingerprints.Distinct());
        using var first = ForumStore.Open(_folder.File("o0.db"));
        Assert.Equal(["a1:0:p1", "a2:2:b1", "a3:1:b3", "b1:1:a1", "b2:3:a2", "b3:0:p2"],
            Texts(first, "SELECT id || ':' || depth || ':' || parent_id FROM comments ORDER BY id"));
        Assert.Equal(1, Sql.Scalar(first, "SELECT count(*) FROM forums"));
    }

    [Fact]
    public async Task A_killed_ingest_resumes_to_the_same_store_as_an_uninterrupted_run()
    {
        var lines = new List<string>();
        for (var p = 0; p < 2000; p++)
        {
            lines.Add(Post($"p{p}", created: 1_600_000_000 + p));
            for (var c = 0; c < 60; c++)
                lines.Add(Comment($"p{p}c{c}", $"p{p}", c % 3 == 0 ? $"t3_p{p}" : $"t1_p{p}c{c - 1}", created: 1_600_000_100 + p));
        }
        WriteLongWindowZst(_folder.File("RC_big.zst"), lines);

        Assert.Equal(0, (await Ingest("whole.db", "RC_big.zst")).ExitCode);

        long Killed(string sql) => Sql.ScalarAt(_folder.File("killed.db"), sql);
        long Committed() => Killed("SELECT coalesce(max(json_extract(state, '$.offset')), 0) FROM checkpoints");
        // Killed right after its first commit. On a machine busy with other tests the child can finish before that
        // commit is seen; then it runs again on a fresh store (up to three times).
        var midRun = false;
        for (var attempt = 0; attempt < 3 && !midRun; attempt++)
        {
            foreach (var file in Directory.EnumerateFiles(_folder.Path, "killed.db*"))
                File.Delete(file);
            midRun = await ChildProcess.RunAndKillWhenAsync(_folder.Path, () => Committed() > 0, null, "ingest", "reddit-dump", "RC_big.zst", "--db", "killed.db")
                && Killed("SELECT count(*) FROM checkpoints WHERE json_extract(state, '$.done')") == 0;
        }
        Assert.True(midRun, "the child was not caught between its first commit and its end");
        Assert.True(Committed() > 0, "the child was not caught after its first commit");

        var resumed = await Ingest("killed.db", "RC_big.zst");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resuming RC_big.zst", resumed.Error);
        using var whole = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Fingerprint(whole), Sql.Fingerprint(killed));
        Assert.Equal(Texts(whole, "SELECT id || depth FROM comments ORDER BY id"), Texts(killed, "SELECT id || depth FROM comments ORDER BY id"));
        Assert.Equal(2000 * 61, Sql.Scalar(killed, "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)"));
    }

    private static List<string> Texts(ForumStore store, string sql)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.GetValue(0).ToString()!);
        return values;
    }
}
