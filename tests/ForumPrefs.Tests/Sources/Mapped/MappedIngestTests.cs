using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ZstdSharp;

namespace ForumPrefs.Tests.Sources.Mapped;

/// <summary>
/// Threads from other people's exports through the shipped mappings, on real samples: PRAW-scraped r/GradSchool
/// trees, a ConvoKit corpus, a Lobsters story, and a CSV written from real dump lines. Expected values are read here
/// from the files themselves, independently of the mapping reader.
/// </summary>
public sealed class MappedIngestTests : IDisposable
{
    private const string RawFolder = "reddit_college/raw";
    private const string ConvoKit = "convokit/subreddit-Cornell-sample/utterances.jsonl";
    private const string Lobsters = "lobsters/post_details_tdfoqh.json";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<Support.Cli.Outcome> IngestAsync(string db, string mapping, params string[] files) =>
        await Support.Cli.RunAsync(_folder.Path, ["ingest", "mapped", .. files, "--mapping", mapping, "--db", db]);

    /// <summary>Every pair of a store as "post: preferred > other", with both scores.</summary>
    private static HashSet<string> Pairs(string db, IReadOnlySet<string>? posts = null)
    {
        using var store = ForumStore.Open(db, create: false);
        var rows = Sql.Column(store, """
            SELECT po.id || ': ' || a.id || ' (' || x.preferred_score || ') > ' || b.id || ' (' || x.other_score || ')'
            FROM pairs x JOIN posts po ON po.pk = x.post_pk JOIN comments a ON a.pk = x.preferred_pk JOIN comments b ON b.pk = x.other_pk
            """, 0);
        return rows.Where(r => posts is null || posts.Contains(r[..r.IndexOf(':')])).ToHashSet();
    }

    private static IEnumerable<string> DumpLines(string file)
    {
        using var stream = new DecompressionStream(File.OpenRead(Fixtures.File(file)));
        stream.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 31);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    private async Task<string> DumpStoreWithPairsAsync()
    {
        var db = _folder.File("dump.db");
        var dump = await Support.Cli.RunAsync(_folder.Path, "ingest", "reddit-dump", Fixtures.File("reddit_college/RS_GradSchool.zst"),
            Fixtures.File("reddit_college/RC_GradSchool.zst"), "--db", db);
        Assert.True(dump.ExitCode is 0 or 3, dump.Error);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db)).ExitCode);
        return db;
    }

    [SkippableFact]
    public async Task PRAW_scraped_trees_give_the_same_pairs_as_the_dump_of_the_same_threads()
    {
        var raw = Directory.GetFiles(Fixtures.File(RawFolder), "*.json").Order(StringComparer.Ordinal).ToArray();
        var ids = raw.Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("sid").GetString()!).ToHashSet();
        var db = _folder.File("raw.db");

        var ingest = await IngestAsync(db, "praw-tree", raw);
        Assert.Equal(0, ingest.ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db)).ExitCode);
        var fromRaw = Pairs(db);
        var fromDump = Pairs(await DumpStoreWithPairsAsync(), ids);

        Assert.True(fromRaw.Count > 1000, $"only {fromRaw.Count} pairs from the raw threads");
        Assert.Equal(fromDump.Order(), fromRaw.Order());
        // Every comment at every depth, with its parent, depth and score, as the dump has them.
        using var store = ForumStore.Open(db, create: false);
        Assert.Equal(raw.Length, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth < 0"));
        Assert.Equal("reddit/gradschool", Sql.Text(store, "SELECT source || '/' || name FROM forums"));
    }

    [SkippableFact]
    public async Task A_CSV_written_from_real_dump_lines_gives_the_dump_s_pairs()
    {
        // The first 400 threads of the dump and their comments, as a CSV with the dump's own column names.
        var posts = DumpLines("reddit_college/RS_GradSchool.zst").Take(400).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var ids = posts.Select(p => p.GetProperty("id").GetString()!).ToHashSet();
        var comments = DumpLines("reddit_college/RC_GradSchool.zst").Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(c => ids.Contains(c.GetProperty("link_id").GetString()![3..])).ToList();
        string[] columns = ["id", "link_id", "parent_id", "subreddit", "title", "selftext", "body", "author", "score", "created_utc", "retrieved_on", "permalink", "over_18", "is_self"];
        var csv = new StringBuilder(string.Join(",", columns) + "\r\n");
        foreach (var row in posts.Concat(comments))
            csv.Append(string.Join(",", columns.Select(c => row.TryGetProperty(c, out var v) ? Quote(v) : ""))).Append("\r\n");
        var file = _folder.File("gradschool.csv");
        File.WriteAllText(file, csv.ToString());
        var db = _folder.File("csv.db");

        var ingest = await IngestAsync(db, "reddit-csv", file);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db)).ExitCode);

        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains($"{posts.Count + comments.Count}", ingest.Out.Replace(",", "")); // units: every row
        var fromCsv = Pairs(db);
        Assert.True(fromCsv.Count > 1000, $"only {fromCsv.Count} pairs from the CSV");
        Assert.Equal(Pairs(await DumpStoreWithPairsAsync(), ids).Order(), fromCsv.Order());
    }

    private static string Quote(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "\"" + value.GetString()!.Replace("\"", "\"\"") + "\"",
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    [SkippableFact]
    public async Task A_ConvoKit_corpus_becomes_threads_with_their_depths()
    {
        var lines = File.ReadLines(Fixtures.File(ConvoKit)).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var byId = lines.ToDictionary(u => u.GetProperty("id").GetString()!);
        int Depth(JsonElement u) // replies to the root are at depth 0
        {
            var depth = -1;
            for (var e = u; e.GetProperty("reply-to").ValueKind == JsonValueKind.String; e = byId[e.GetProperty("reply-to").GetString()!])
                depth++;
            return depth;
        }
        var db = _folder.File("convokit.db");

        var ingest = await IngestAsync(db, "convokit", Fixtures.File(ConvoKit));

        Assert.Equal(0, ingest.ExitCode);
        using var store = ForumStore.Open(db, create: false);
        Assert.Equal("reddit/cornell", Sql.Text(store, "SELECT source || '/' || name FROM forums"));
        var roots = lines.Where(u => u.GetProperty("reply-to").ValueKind == JsonValueKind.Null).ToList();
        Assert.Equal(roots.Count, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(lines.Count - roots.Count, Sql.Scalar(store, "SELECT count(*) FROM comments"));
        var stored = Sql.Column(store, "SELECT id || ' ' || depth || ' ' || score FROM comments", 0).ToHashSet();
        foreach (var u in lines.Except(roots))
            Assert.Contains($"{u.GetProperty("id").GetString()} {Depth(u)} {u.GetProperty("meta").GetProperty("score").GetInt32()}", stored);
        // ConvoKit keeps titles elsewhere: the question's first line stands in, cut at 120 characters.
        var first = roots[0];
        var line = first.GetProperty("text").GetString()!.Split('\n')[0].Trim();
        Assert.Equal(line.Length > 120 ? line[..117] + "..." : line,
            Sql.Text(store, $"SELECT title FROM posts WHERE id = '{first.GetProperty("id").GetString()}'"));
        var pairs = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--format", "csv");
        Assert.Equal(0, pairs.ExitCode);
        Assert.NotEmpty(Pairs(db));
    }

    [SkippableFact]
    public async Task A_Lobsters_story_reads_its_ISO_times_and_HTML_and_its_reply_tree()
    {
        var story = JsonDocument.Parse(File.ReadAllText(Fixtures.File(Lobsters))).RootElement;
        var db = _folder.File("lobsters.db");

        var ingest = await IngestAsync(db, "lobsters", Fixtures.File(Lobsters));

        Assert.Equal(0, ingest.ExitCode);
        using var store = ForumStore.Open(db, create: false);
        Assert.Equal("lobsters/lobsters", Sql.Text(store, "SELECT source || '/' || name FROM forums"));
        Assert.Equal(story.GetProperty("title").GetString(), Sql.Text(store, "SELECT title FROM posts"));
        Assert.Equal(DateTimeOffset.Parse(story.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            Sql.Scalar(store, "SELECT created_utc FROM posts"));
        foreach (var c in story.GetProperty("comments").EnumerateArray())
        {
            var id = c.GetProperty("short_id").GetString();
            Assert.Equal(c.GetProperty("depth").GetInt32(), Sql.Scalar(store, $"SELECT depth FROM comments WHERE id = '{id}'"));
            Assert.Equal(c.GetProperty("score").GetInt32(), Sql.Scalar(store, $"SELECT score FROM comments WHERE id = '{id}'"));
            Assert.Equal(DateTimeOffset.Parse(c.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
                Sql.Scalar(store, $"SELECT created_utc FROM comments WHERE id = '{id}'"));
        }
        Assert.Equal(story.GetProperty("comments").GetArrayLength(), Sql.Scalar(store, "SELECT count(*) FROM comments"));
        // HTML became text: no tags left, the words kept.
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE body LIKE '%<p>%' OR body LIKE '%</%'"));
        Assert.Contains("Maybe take the max, instead of the sum?", Sql.Text(store, "SELECT body FROM comments WHERE id = 'ncdsfc'"));
    }

    [SkippableFact]
    public async Task A_second_run_finds_every_file_ingested_and_stores_nothing_twice()
    {
        var db = _folder.File("twice.db");
        var first = await IngestAsync(db, "convokit", Fixtures.File(ConvoKit));
        long Count()
        {
            using var store = ForumStore.Open(db, create: false);
            return Sql.Scalar(store, "SELECT (SELECT count(*) FROM posts) * 100000 + (SELECT count(*) FROM comments)");
        }
        var before = Count();

        var second = await IngestAsync(db, "convokit", Fixtures.File(ConvoKit));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("already ingested", second.Out);
        Assert.Equal(before, Count());
    }

    [Fact]
    public async Task Bad_records_are_counted_skips_with_examples_and_the_rest_is_stored()
    {
        var file = _folder.File("messy.jsonl");
        File.WriteAllLines(file,
        [
            """{"id": "q1", "thread": "q1", "text": "Why is the sky blue?", "author": "a", "score": 12, "time": "2021-03-04T05:06:07Z"}""",
            """{"id": "c1", "thread": "q1", "parent": "q1", "text": "Rayleigh scattering.", "author": "b", "score": 9, "time": 1614834367}""",
            """{"id": "c2", "thread": "q1", "parent": "q1", "text": "No score here", "author": "c", "time": 1614834367}""",
            """{"id": "c3", "thread": "q1", "parent": "q1", "text": "Bad time", "author": "d", "score": 3, "time": "yesterday-ish"}""",
            """{"id": "c4", "thread": "q1", "parent": "c1", "text": "Thanks!", "author": "a", "score": 2, "time": 1614834999000}""",
            """{not json""",
            """[1, 2, 3]""",
        ]);
        var mapping = _folder.File("messy.yaml");
        File.WriteAllText(mapping, """
            source: reddit
            forum: Physics
            layout: records
            thread: thread
            post: {id: id, body: text, author: author, score: score, created: time}
            comment: {id: id, parent: parent, body: text, author: author, score: score, created: time}
            """);
        var db = _folder.File("messy.db");

        var result = await IngestAsync(db, mapping, file);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("missing_score: reply c2", result.Error);
        Assert.Contains("bad_time: reply c3", result.Error);
        var table = await Support.Cli.RunAsync(_folder.Path, ["ingest", "mapped", file, "--mapping", mapping, "--db", _folder.File("again.db"), "--format", "json"]);
        var row = JsonDocument.Parse(table.Out).RootElement[0];
        Assert.Equal(1, row.GetProperty("missing_score").GetInt64());
        Assert.Equal(1, row.GetProperty("bad_time").GetInt64());
        Assert.Equal(1, row.GetProperty("malformed_json").GetInt64());
        Assert.Equal(1, row.GetProperty("not_a_record").GetInt64());
        using var store = ForumStore.Open(db, create: false);
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        // The reply's depth comes from its parent; its time was in milliseconds.
        Assert.Equal(1, Sql.Scalar(store, "SELECT depth FROM comments WHERE id = 'c4'"));
        Assert.Equal(1614834999, Sql.Scalar(store, "SELECT created_utc FROM comments WHERE id = 'c4'"));
        Assert.Equal(new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.Zero).ToUnixTimeSeconds(), Sql.Scalar(store, "SELECT created_utc FROM posts"));
    }

    [Fact]
    public async Task A_bad_reply_in_a_tree_takes_its_replies_with_it_counted_and_the_rest_of_the_thread_stays()
    {
        var file = _folder.File("thread.json");
        File.WriteAllText(file, """
            {"sid": "t1", "title:": "Q", "text": "body", "author": "a", "created": 1600000000, "upvotes": 20,
             "comments": {
               "c1": {"text": "fine", "author": "b", "created": 1600000100, "upvotes": 5, "replies": {}},
               "c2": {"text": "no score", "author": "c", "created": 1600000200,
                      "replies": {"c3": {"text": "under it", "author": "d", "created": 1600000300, "upvotes": 1,
                                         "replies": {"c4": {"text": "deeper", "author": "e", "created": 1600000400, "upvotes": 1, "replies": {}}}}}}}}
            """);
        var db = _folder.File("tree.db");

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "mapped", file, "--mapping", "praw-tree", "--db", db, "--format", "json");

        Assert.Equal(3, result.ExitCode);
        var row = JsonDocument.Parse(result.Out).RootElement[0];
        Assert.Equal(1, row.GetProperty("missing_score").GetInt64());
        Assert.Equal(2, row.GetProperty("under_a_bad_record").GetInt64());
        using var store = ForumStore.Open(db, create: false);
        Assert.Equal(["c1"], Sql.Column(store, "SELECT id FROM comments", 0));
    }

    [Theory]
    [InlineData("source: reddit\nforum: x\nlayout: threads\npost: {id: id, body: b}\ncomment: {id: id, body: b, score: s, created: t}", "'post.replies'")]
    [InlineData("forum: x\npost: {id: id, body: b, replies: r}\ncomment: {id: id, body: b, score: s, created: t}", "'source' is required")]
    [InlineData("source: reddit\nforum: x\nforum_field: f\npost: {id: id, body: b, replies: r}\ncomment: {id: id, body: b, score: s, created: t}", "either 'forum'")]
    [InlineData("source: reddit\nforum: x\npost: {id: id, body: b, replies: r}\ncomment: {id: id, body: b, created: t}", "'score'")]
    [InlineData("source: reddit\nforum: x\nlayout: records\nthread: t\npost: {id: id, body: b}\ncomment: {id: id, body: b, score: s, created: t}", "'comment.parent' or 'question'")]
    [InlineData("source: reddit\nforum: x\nposts: {id: id}", "posts")]
    [InlineData("source: [unclosed", "mapping")]
    public async Task A_bad_mapping_is_one_line_before_anything_is_written(string yaml, string expected)
    {
        var mapping = _folder.File("bad.yaml");
        File.WriteAllText(mapping, yaml);
        var data = _folder.File("data.json");
        File.WriteAllText(data, "{}");
        var db = _folder.File("never.db");

        var result = await IngestAsync(db, mapping, data);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task The_built_in_mappings_are_named_in_help_and_an_unknown_one_is_refused()
    {
        var help = await Support.Cli.RunAsync(_folder.Path, "ingest", "mapped", "--help");
        var json = await Support.Cli.RunAsync(_folder.Path, "ingest", "json", "--help");
        var data = _folder.File("data.json");
        File.WriteAllText(data, "{}");
        var unknown = await IngestAsync(_folder.File("x.db"), "no-such-mapping", data);

        foreach (var name in new[] { "praw-tree", "convokit", "lobsters", "reddit-csv" })
            Assert.Contains(name, help.Out);
        Assert.Equal(0, json.ExitCode); // the verb's other name
        Assert.Contains("praw-tree", json.Out);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("neither a file nor a built-in mapping", unknown.Error);
    }
}
