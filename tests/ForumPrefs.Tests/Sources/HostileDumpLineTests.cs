using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text;
using System.Text.Json.Nodes;
using static ForumPrefs.Tests.Support.DumpFiles;

namespace ForumPrefs.Tests.Sources;

/// <summary>No single line can make a dump file un-ingestable, and every adjustment or skip is counted where it is.</summary>
public sealed class HostileDumpLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<Support.Cli.Outcome> Ingest(string db, params string[] args) =>
        Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", .. args, "--db", db, "--format", "csv"]);

    [Theory]
    [InlineData("\"subreddit\":\"\"")]
    [InlineData("\"subreddit\":\"   \"")]
    [InlineData("\"id\":\"\"")]
    public async Task A_blank_subreddit_or_id_is_a_counted_skip_and_the_file_completes(string blank)
    {
        var bad = Comment("bad", "p1", "t3_p1").Replace("\"subreddit\":\"askscience\"", blank.StartsWith("\"subreddit", StringComparison.Ordinal) ? blank : "\"subreddit\":\"askscience\"")
            .Replace("\"id\":\"bad\"", blank.StartsWith("\"id", StringComparison.Ordinal) ? blank : "\"id\":\"bad\"");
        WritePlain(_folder.File("RC_blank.ndjson"), [Post("p1"), bad, Comment("c1", "p1", "t3_p1")]);

        var first = await Ingest("blank.db", "RC_blank.ndjson");
        var again = await Ingest("blank.db", "RC_blank.ndjson");

        Assert.True(first.ExitCode == 3, first.Error);
        Assert.Contains("missing_field", first.Error);
        Assert.Equal(3, again.ExitCode);
        using var store = ForumStore.Open(_folder.File("blank.db"), create: false);
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM comments"));
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts"));
    }

    [SkippableFact]
    public async Task Property_no_single_field_value_can_stop_a_file()
    {
        // Every field of every real comment line, set to each hostile value: each mutated line sits between two good
        // lines, and the file must complete with both good lines stored.
        var real = File.ReadAllLines(Fixtures.File("pushshift/Paul-E_Pushshift-Importer/test_comments.json")).Where(l => l.Length > 0).Take(6).ToList();
        JsonNode?[] hostile = ["", " ", null, 0, -1, 1e300, long.MaxValue, true, new JsonArray(), new JsonObject { ["x"] = 1 },
            new string('a', 10_000), "t3_", "t1_", "\u0000", "../../x", "99999999999999999999"];
        var lines = new List<string>();
        var mutations = 0;
        foreach (var line in real)
        {
            var node = JsonNode.Parse(line)!.AsObject();
            foreach (var field in node.Select(p => p.Key).ToList())
            {
                foreach (var value in hostile)
                {
                    var copy = JsonNode.Parse(line)!.AsObject();
                    copy[field] = value?.DeepClone();
                    lines.Add(copy.ToJsonString());
                    mutations++;
                }
            }
        }
        var good = Enumerable.Range(0, lines.Count + 1).Select(i => Comment($"good{i}", "p1", "t3_p1")).ToList();
        var file = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
            file.Append(good[i]).Append('\n').Append(lines[i]).Append('\n');
        file.Append(good[^1]).Append('\n');
        File.WriteAllText(_folder.File("RC_hostile.ndjson"), file.ToString());

        var result = await Ingest("hostile.db", "RC_hostile.ndjson");

        Assert.True(mutations > 1000, $"{mutations} mutations");
        Assert.True(result.ExitCode is 0 or 3, result.Error);
        using var store = ForumStore.Open(_folder.File("hostile.db"), create: false);
        Assert.Equal(good.Count, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE id LIKE 'good%'"));
    }

    [Fact]
    public async Task Scores_beyond_32_bits_are_clamped_and_counted()
    {
        WritePlain(_folder.File("RC_big.ndjson"), [Comment("c1", "p1", "t3_p1").Replace("\"score\":5", "\"score\":99999999999"), Comment("c2", "p1", "t3_p1")]);

        var result = await Ingest("big.db", "RC_big.ndjson");

        Assert.Equal(0, result.ExitCode);
        var header = result.Out.Split('\n')[0].Split(',');
        Assert.Equal("1", result.Out.Split('\n')[1].Split(',')[Array.IndexOf(header, "clamped_scores")]);
        using var store = ForumStore.Open(_folder.File("big.db"), create: false);
        Assert.Equal(int.MaxValue, Sql.Scalar(store, "SELECT score FROM comments WHERE id = 'c1'"));
    }

    [Fact]
    public async Task Skipped_lines_are_reported_at_their_own_offset_not_the_end_of_the_file()
    {
        var first = Comment("c1", "p1", "t3_p1");
        var deep = "{\"id\":\"d\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        WritePlain(_folder.File("RC_deep.ndjson"), [first, deep, Comment("c2", "p1", "t3_p1"), .. Enumerable.Range(0, 50).Select(i => Comment($"t{i}", "p1", "t3_p1"))]);

        var result = await Ingest("deep.db", "RC_deep.ndjson");

        var lineStart = Encoding.UTF8.GetByteCount(first) + 1;
        var at = long.Parse(System.Text.RegularExpressions.Regex.Match(result.Error, @"at byte ([\d,]+): malformed_json").Groups[1].Value.Replace(",", ""));
        Assert.InRange(at, lineStart, lineStart + deep.Length);
        Assert.True(at < new FileInfo(_folder.File("RC_deep.ndjson")).Length - 1000);
    }

    [Fact]
    public void Over_long_lines_are_reported_where_they_start()
    {
        var path = _folder.File("RC_long.ndjson");
        var lines = new[] { Comment("c1", "p1", "t3_p1"), "{\"body\":\"" + new string('x', 5000) + "\"}", Comment("c2", "p1", "t3_p1"),
            "{\"body\":\"" + new string('y', 300_000) + "\"}", Comment("c3", "p1", "t3_p1") };
        WritePlain(path, lines);
        var starts = new List<long>();
        long position = 0;
        foreach (var line in lines)
        {
            starts.Add(position);
            position += Encoding.UTF8.GetByteCount(line) + 1;
        }

        using var reader = new DumpLineReader(path, maxLineBytes: 4096);
        var read = 0;
        while (reader.TryRead(out _, out _))
            read++;

        Assert.Equal(3, read);
        Assert.Equal([starts[1], starts[3]], reader.TooLongLineOffsets);
    }

    [Fact]
    public async Task Since_later_than_until_is_a_usage_error()
    {
        WritePlain(_folder.File("RC_x.ndjson"), [Comment("c1", "p1", "t3_p1")]);

        var result = await Ingest("x.db", "RC_x.ndjson", "--since", "2024-01-01", "--until", "2023-01-01");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since", result.Error);
    }

    [Fact]
    public async Task A_truncated_dump_replaced_by_the_complete_file_resumes_where_the_cut_was()
    {
        // Bodies of random text, so the compressed file is several megabytes, as real dumps are (the first megabyte names it).
        var random = new Random(3);
        var lines = new[] { Post("p1") }.Concat(Enumerable.Range(0, 4000).Select(i => Comment($"c{i}", "p1", "t3_p1", created: 1_600_000_200 + i)
            .Replace($"\"body\":\"Comment c{i}\"", $"\"body\":\"{Convert.ToHexString(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 600))}\""))).ToList();
        WriteLongWindowZst(_folder.File("complete.zst"), lines);
        var whole = File.ReadAllBytes(_folder.File("complete.zst"));
        Assert.True(whole.Length > 2 << 20, $"{whole.Length} bytes");
        File.WriteAllBytes(_folder.File("RC_2024-01.zst"), whole[..(whole.Length / 2)]);

        var cut = await Ingest("replaced.db", "RC_2024-01.zst");
        Assert.Equal(3, cut.ExitCode);
        long storedFromCut;
        using (var store = ForumStore.Open(_folder.File("replaced.db"), create: false))
            storedFromCut = Sql.Scalar(store, "SELECT count(*) FROM comments");
        Assert.InRange(storedFromCut, 1, 3999);

        // The download is completed: same path, same start, more bytes.
        File.WriteAllBytes(_folder.File("RC_2024-01.zst"), whole);
        var resumed = await Ingest("replaced.db", "RC_2024-01.zst");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("RC_2024-01.zst changed since it was read", resumed.Error);
        Assert.Contains("resuming at byte", resumed.Error);
        Assert.DoesNotContain("already ingested", resumed.Out);
        using (var store = ForumStore.Open(_folder.File("replaced.db"), create: false))
            Assert.Equal(4000, Sql.Scalar(store, "SELECT count(*) FROM comments"));

        // Under another name it is the same file: already ingested.
        File.Copy(_folder.File("RC_2024-01.zst"), _folder.File("renamed.zst"));
        var renamed = await Ingest("replaced.db", "renamed.zst");
        Assert.Contains("already ingested", renamed.Out);
    }
}
