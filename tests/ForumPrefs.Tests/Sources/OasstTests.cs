using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.IO.Compression;
using System.Text.Json;

namespace ForumPrefs.Tests.Sources;

/// <summary>
/// OpenAssistant trees end to end on real exports: the tree layout (../shared/fixtures, LAION-AI/Open-Assistant) and the
/// flat layout as Hugging Face writes it (Samples/oasst, TurkuNLP/oasst-fi). Expected counts are computed here from the
/// JSON, independently of the reader.
/// </summary>
public sealed class OasstTests : IDisposable
{
    private const string TreeFixture = "oasst/LAION-AI_Open-Assistant/en_100_tree.first50.jsonl";
    private static readonly string FlatSample = Path.Combine(AppContext.BaseDirectory, "Samples", "oasst", "en-validation.first5trees.jsonl");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Every message of a tree-layout file, with its depth below the first prompt (0 for the prompt).</summary>
    private static List<(JsonElement Message, int Level, JsonElement? Parent)> TreeMessages(string path)
    {
        var all = new List<(JsonElement, int, JsonElement?)>();
        void Walk(JsonElement m, int level, JsonElement? parent)
        {
            all.Add((m, level, parent));
            foreach (var reply in m.GetProperty("replies").EnumerateArray())
                Walk(reply, level + 1, m);
        }
        foreach (var line in File.ReadLines(path))
            Walk(JsonDocument.Parse(line).RootElement.GetProperty("prompt").Clone(), 0, null);
        return all;
    }

    private static bool Flag(JsonElement m, string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>The pairs the ranking policy should build, counted the plain way: ranked usable assistant siblings, n(n−1)/2 a group.</summary>
    private static long ExpectedPairs(string path, bool includeSynthetic)
    {
        bool Usable(JsonElement m) => !Flag(m, "deleted") && !(m.TryGetProperty("review_result", out var r) && r.ValueKind == JsonValueKind.False)
                                      && (includeSynthetic || !Flag(m, "synthetic"));
        long pairs = 0;
        void Walk(JsonElement m)
        {
            if (!Usable(m))
                return;
            var ranked = m.GetProperty("replies").EnumerateArray().Count(r => r.GetProperty("role").GetString() == "assistant" && Usable(r)
                && r.TryGetProperty("rank", out var rank) && rank.ValueKind == JsonValueKind.Number && r.GetProperty("text").GetString()!.Trim().Length > 0);
            pairs += ranked * (ranked - 1L) / 2;
            foreach (var reply in m.GetProperty("replies").EnumerateArray())
                Walk(reply);
        }
        foreach (var line in File.ReadLines(path))
            Walk(JsonDocument.Parse(line).RootElement.GetProperty("prompt"));
        return pairs;
    }

    [SkippableFact]
    public async Task The_tree_layout_stores_every_message_with_its_role_rank_and_place()
    {
        var file = Fixtures.File(TreeFixture);
        var messages = TreeMessages(file);

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", file, "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(messages.Count(m => m.Level == 0), Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(messages.Count(m => m.Level > 0), Sql.Scalar(store, "SELECT count(*) FROM comments"));
        Assert.Equal(messages.Count(m => m.Message.TryGetProperty("rank", out var r) && r.ValueKind == JsonValueKind.Number),
            Sql.Scalar(store, "SELECT count(*) FROM comments WHERE json_extract(meta, '$.rank') IS NOT NULL"));
        Assert.Equal(messages.Count(m => m.Level > 0 && Flag(m.Message, "synthetic")),
            Sql.Scalar(store, "SELECT count(*) FROM comments WHERE json_extract(meta, '$.synthetic') = 1"));
        Assert.Equal(messages.Max(m => m.Level) - 1, Sql.Scalar(store, "SELECT max(depth) FROM comments"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth < 0"));
        // A reply's parent is the message it answers; first replies answer the post (the tree's first prompt).
        var deep = messages.First(m => m.Level == 2);
        Assert.Equal(deep.Parent!.Value.GetProperty("message_id").GetString(),
            Sql.Text(store, $"SELECT parent_id FROM comments WHERE id = '{deep.Message.GetProperty("message_id").GetString()}'"));
        Assert.Contains($"{messages.Count(m => m.Level == 0)},{messages.Count},", result.Out);
    }

    [Fact]
    public async Task The_flat_layout_as_Hugging_Face_writes_it_reads_emojis_labels_and_depths()
    {
        var lines = File.ReadAllLines(FlatSample).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", FlatSample);

        Assert.Equal(0, result.ExitCode);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(lines.Count(m => m.GetProperty("parent_id").ValueKind == JsonValueKind.Null), Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(lines.Count(m => m.GetProperty("parent_id").ValueKind != JsonValueKind.Null), Sql.Scalar(store, "SELECT count(*) FROM comments"));
        // Depths are not in the flat layout: they are settled from the parent links.
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth < 0"));
        Assert.True(Sql.Scalar(store, "SELECT max(depth) FROM comments") >= 2);
        // Emojis in the column form {"name": [...], "count": [...]}: the score is thumbs up minus thumbs down.
        var sample = lines.First(m => m.GetProperty("emojis").ValueKind == JsonValueKind.Object && m.GetProperty("parent_id").ValueKind != JsonValueKind.Null);
        var names = sample.GetProperty("emojis").GetProperty("name").EnumerateArray().Select(n => n.GetString()).ToList();
        var counts = sample.GetProperty("emojis").GetProperty("count").EnumerateArray().Select(c => c.GetInt32()).ToList();
        int Count(string emoji) => names.IndexOf(emoji) is var i && i >= 0 ? counts[i] : 0;
        var id = sample.GetProperty("message_id").GetString();
        Assert.Equal(Count("+1") - Count("-1"), Sql.Scalar(store, $"SELECT score FROM comments WHERE id = '{id}'"));
        var labels = sample.GetProperty("labels");
        var quality = labels.GetProperty("value")[labels.GetProperty("name").EnumerateArray().Select(n => n.GetString()).ToList().IndexOf("quality")].GetDouble();
        Assert.Equal(quality, double.Parse(Sql.Text(store, $"SELECT CAST(json_extract(meta, '$.labels.quality.value') AS TEXT) FROM comments WHERE id = '{id}'")!,
            System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(sample.GetProperty("created_date").GetDateTimeOffset().ToUnixTimeSeconds(),
            Sql.Scalar(store, $"SELECT created_utc FROM comments WHERE id = '{id}'"));
    }

    [Fact]
    public async Task A_gzipped_export_gives_the_same_store_and_a_second_ingest_changes_nothing()
    {
        var gz = _folder.File("flat.jsonl.gz");
        await using (var output = new GZipStream(File.Create(gz), CompressionLevel.Optimal))
        await using (var input = File.OpenRead(FlatSample))
            await input.CopyToAsync(output);

        await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", FlatSample, "--db", "plain.db", "--observed", "2023-04-12");
        await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", gz, "--db", "gz.db", "--observed", "2023-04-12");
        string Fingerprint(string db)
        {
            using var store = ForumStore.Open(_folder.File(db));
            return Sql.Fingerprint(store);
        }
        // Every stored value (the checkpoints differ: a file is known by its bytes, and the .gz has other bytes).
        const string content = """
            SELECT group_concat(x, '|') FROM (
              SELECT id || parent_id || depth || body || author || score || created_utc || observed_utc || meta AS x FROM comments
              UNION ALL SELECT id || title || body || author || score || created_utc || observed_utc || meta FROM posts ORDER BY 1)
            """;
        string Content(string db)
        {
            using var store = ForumStore.Open(_folder.File(db));
            return Sql.Text(store, content) ?? "";
        }
        var before = Fingerprint("plain.db");
        var again = await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", FlatSample, "--db", "plain.db", "--observed", "2023-04-12");

        Assert.Equal(Content("plain.db"), Content("gz.db"));
        Assert.True(Content("plain.db").Length > 10_000);
        Assert.Contains("already ingested", again.Out);
        Assert.Equal(before, Fingerprint("plain.db"));
    }

    [SkippableFact]
    public async Task The_ranking_policy_pairs_ranked_siblings_and_names_every_rule()
    {
        var file = Fixtures.File(TreeFixture);
        await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", file);

        // Every ranked sibling pair, as counted from the file: near-duplicate answers are kept for the comparison.
        var screened = await Support.Cli.RunAsync(_folder.Path, "pairs", "--format", "json");
        var pairs = await Support.Cli.RunAsync(_folder.Path, "pairs", "--keep", "near-duplicates", "--format", "json");
        var synthetic = await Support.Cli.RunAsync(_folder.Path, "pairs", "--keep", "synthetic,near-duplicates", "--format", "json");
        var german = await Support.Cli.RunAsync(_folder.Path, "pairs", "--language", "de", "--format", "json");

        Assert.Equal(0, pairs.ExitCode);
        var run = JsonDocument.Parse(pairs.Out).RootElement[0];
        Assert.Equal("ranking", run.GetProperty("policy").GetString());
        Assert.Equal(ExpectedPairs(file, includeSynthetic: false), run.GetProperty("pairs").GetInt64());
        Assert.True(JsonDocument.Parse(screened.Out).RootElement[0].GetProperty("pairs").GetInt64() < run.GetProperty("pairs").GetInt64(),
            "model-free siblings that say the same thing are near-duplicates, dropped by default");
        Assert.Equal(ExpectedPairs(file, includeSynthetic: true), JsonDocument.Parse(synthetic.Out).RootElement[0].GetProperty("pairs").GetInt64());
        Assert.True(ExpectedPairs(file, true) > ExpectedPairs(file, false), "the fixture has model-written replies");
        Assert.Contains("model-written (synthetic) message", pairs.Out);
        Assert.Contains("a prompter turn (part of the question, not an answer)", pairs.Out);
        Assert.Equal(0, JsonDocument.Parse(german.Out).RootElement[0].GetProperty("pairs").GetInt64());
        Assert.Contains("conversation in another language (--language)", german.Out);
        // Every level of the report adds up: seen = kept + removed.
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        var report = JsonDocument.Parse(Sql.Text(store, "SELECT report FROM pair_runs")!).RootElement;
        long Removed(string level) => report.GetProperty("rules").EnumerateArray().Where(r => string.Equals(r.GetProperty("level").GetString(), level, StringComparison.OrdinalIgnoreCase)).Sum(r => r.GetProperty("removed").GetInt64());
        Assert.Equal(report.GetProperty("posts_seen").GetInt64(), report.GetProperty("posts_kept").GetInt64() + Removed("Post"));
        Assert.Equal(report.GetProperty("comments_seen").GetInt64(), report.GetProperty("comments_kept").GetInt64() + Removed("Comment"));
        Assert.Equal(report.GetProperty("candidate_pairs").GetInt64(), report.GetProperty("pairs_kept").GetInt64() + Removed("Pair"));
    }

    [Fact]
    public async Task Exports_carry_the_conversation_so_far_and_split_by_tree()
    {
        await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", FlatSample);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs")).ExitCode);

        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--layout", "shp", "--out", "shp")).ExitCode);
        var chat = await Support.Cli.RunAsync(_folder.Path, "export", "--layout", "trl", "--conversational", "--out", "chat");
        var refused = await Support.Cli.RunAsync(_folder.Path, "export", "--layout", "shp", "--conversational", "--out", "bad");

        Assert.Equal(0, chat.ExitCode);
        Assert.Equal(2, refused.ExitCode);
        var shp = Duck.Path(_folder.File("shp/oasst/*.parquet"));
        var conversational = Duck.Path(_folder.File("chat/oasst/*.parquet"));
        // Replies deep in a tree: the question is the transcript of the turns above them.
        Assert.True(Duck.Scalar($"SELECT count(*) FROM read_parquet('{shp}') WHERE history LIKE 'Human: %' AND history LIKE '%Assistant: %'") > 0);
        Assert.Equal(Duck.Scalar($"SELECT count(*) FROM read_parquet('{shp}')"), Duck.Scalar($"SELECT count(*) FROM read_parquet('{conversational}')"));
        // TRL's conversational format: the prompt a list of messages ending with the user's turn, one assistant message each side.
        var row = Duck.Query($"""
            SELECT count(*) FILTER (WHERE prompt[len(prompt)].role <> 'user' OR len(prompt) % 2 = 0),
                   count(*) FILTER (WHERE chosen[1].role <> 'assistant' OR len(chosen) <> 1 OR rejected[1].role <> 'assistant'),
                   max(len(prompt)), count(*)
            FROM read_parquet('{conversational}')
            """).Rows.Single();
        Assert.Equal(0L, Convert.ToInt64(row[0]));
        Assert.Equal(0L, Convert.ToInt64(row[1]));
        Assert.True(Convert.ToInt64(row[2]) >= 3, "some pairs answer a multi-turn conversation");
        // Splits by tree: no tree's pairs in two splits.
        Assert.Equal(0, Duck.Scalar($"SELECT count(*) FROM (SELECT post_id FROM read_parquet('{shp}', filename = true) GROUP BY post_id HAVING count(DISTINCT filename) > 1)"));
        // The trainer's loader reads the conversational files too, as one prompt text.
        var loaded = await ForumPrefs.Datasets.DatasetReader.ReadAsync(_folder.File("chat"), ForumPrefs.Core.Split.Train).ToListAsync();
        Assert.Equal(Duck.Scalar($"SELECT count(*) FROM read_parquet('{Duck.Path(_folder.File("chat/oasst/train.parquet"))}')"), loaded.Count);
        Assert.Contains(loaded, r => r.Prompt.StartsWith("Human: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_lines_and_bad_messages_are_counted_and_the_rest_kept()
    {
        var good = File.ReadAllLines(FlatSample);
        var tree = """{"message_tree_id": "t1", "tree_state": "ready_for_export", "prompt": {"message_id": "t1", "text": "Q?", "role": "prompter", "replies": [{"message_id": "a1", "role": "assistant", "replies": [{"message_id": "b1", "text": "x", "role": "prompter", "replies": []}]}, {"message_id": "a2", "text": "fine", "role": "assistant", "rank": 0, "replies": []}]}}""";
        File.WriteAllLines(_folder.File("mixed.jsonl"), [good[0], "{not json", """{"hello": 1}""", tree, .. good[1..12]]);

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", "mixed.jsonl", "--format", "json");

        Assert.Equal(3, result.ExitCode);
        var file = JsonDocument.Parse(result.Out).RootElement[0];
        Assert.Equal(1, file.GetProperty("malformed_json").GetInt64());
        Assert.Equal(1, file.GetProperty("not_a_message").GetInt64());
        Assert.Equal(1, file.GetProperty("missing_field").GetInt64()); // a1 has no text
        Assert.Equal(1, file.GetProperty("under_a_bad_message").GetInt64()); // b1, under a1
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(2, Sql.Scalar(store, "SELECT count(*) FROM posts")); // the good tree's prompt and t1
        Assert.Equal(11 + 1, Sql.Scalar(store, "SELECT count(*) FROM comments")); // the good tree's replies and a2
    }

    [Fact]
    public async Task Run_takes_OpenAssistant_exports_end_to_end()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "run", "--oasst", FlatSample, "--skip-train");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ranking", result.Out);
        Assert.Contains($"dataset card: {_folder.File("datasets/oasst/README.md")}", result.Out);
        Assert.Contains("policy `ranking`", File.ReadAllText(_folder.File("datasets/oasst/README.md")));
        Assert.True(Duck.Scalar($"SELECT count(*) FROM read_parquet('{Duck.Path(_folder.File("datasets/oasst/oasst/*.parquet"))}')") > 0);
    }

    [Fact]
    public async Task The_ranking_policy_on_a_forum_without_rankings_says_so()
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "20");

        var result = await Support.Cli.RunAsync(_folder.Path, "pairs", "--policy", "ranking", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var run = JsonDocument.Parse(result.Out).RootElement[0];
        Assert.Equal(0, run.GetProperty("pairs").GetInt64());
        var rule = run.GetProperty("report").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("level").GetString() is "post" or "Post");
        Assert.Equal("not a conversation tree with rankings (policy ranking)", rule.GetProperty("rule").GetString());
        Assert.Equal(20, rule.GetProperty("removed").GetInt64());
    }

    [Fact]
    public async Task Conversational_files_of_many_row_groups_read_back_whole()
    {
        var forum = new ForumPrefs.Core.Forum("oasst", "oasst");
        var at = DateTimeOffset.UnixEpoch;
        var pairs = Enumerable.Range(0, 7).Select(i => new ForumPrefs.Core.PreferencePair(forum, $"t{i}", "Q", null, null,
            new ForumPrefs.Core.PairedAnswer($"a{i}", $"better {i}", "", 1, at), new ForumPrefs.Core.PairedAnswer($"b{i}", $"worse {i}", "", 0, at),
            2, 1, ForumPrefs.Core.Split.Train, i % 2 == 0)
        {
            Conversation = [new("user", $"question {i}"), new("assistant", "first answer"), new("user", "and then?")],
        }).ToList();

        var file = await ForumPrefs.Export.DatasetExporter.WriteFileAsync(_folder.File("chat/oasst"), ForumPrefs.Core.Split.Train, "oasst_train", pairs,
            new ForumPrefs.Datasets.ExportOptions(ForumPrefs.Datasets.ExportFormat.Trl, RowGroupSize: 3, Conversational: true));

        var path = Duck.Path(file);
        Assert.Equal(3, Duck.Scalar($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{path}')"));
        Assert.Equal(7, Duck.Scalar($"SELECT count(*) FROM read_parquet('{path}') WHERE len(prompt) = 3 AND chosen[1].content LIKE 'better %'"));
        var loaded = await ForumPrefs.Datasets.DatasetReader.ReadFileAsync(file).ToListAsync();
        Assert.Equal(pairs.Select(p => p.Preferred.Text), loaded.Select(r => r.Chosen));
        Assert.All(loaded, r => Assert.StartsWith("Human: question ", r.Prompt));
    }
}
