using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Export;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ForumPrefs.Tests.Export;

/// <summary>Exports read back by DuckDB, an independent reader, and by our own loader.</summary>
public sealed class ExportTests : IDisposable
{
    private static readonly string[] ShpColumns =
    [
        "post_id", "domain", "upvote_ratio", "history", "c_root_id_A", "c_root_id_B", "created_at_utc_A", "created_at_utc_B",
        "score_A", "score_B", "human_ref_A", "human_ref_B", "labels", "seconds_difference", "score_ratio",
        "created_difference_seconds", "language",
    ];

    private static readonly string[] ShpTypes =
    [
        "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT",
        "BIGINT", "BIGINT", "VARCHAR", "VARCHAR", "BIGINT", "DOUBLE", "DOUBLE",
        "DOUBLE", "VARCHAR",
    ];

    private readonly TempFolder _folder = new();
    private readonly ForumStore _store;

    public ExportTests()
    {
        _store = SimulatedStore.Create(_folder.File("store.db"), 500);
        foreach (var forum in _store.Forums())
            PairingJob.Run(_store, forum, new ShpPolicy(new ShpOptions()), new SplitAssigner());
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private Task<IReadOnlyList<ForumExport>> ExportAsync(ExportFormat format, bool authors = false, string name = "out") =>
        ExportFolder.WriteAsync(_folder.File(name), _store.StoreId, format.ToString(), force: true, async partial =>
        {
            var options = new ExportOptions(format, authors, RowGroupSize: 100);
            var exports = await DatasetExporter.ExportAsync(_store, PairRunWriter.List(_store), partial, options);
            DatasetCard.Write(partial, exports, options, []);
            return exports;
        });

    /// <summary>Gives a hand-made folder an export's card and marker, so the loader reads its files.</summary>
    private void MarkComplete(string folder)
    {
        File.Copy(_folder.File("out/README.md"), Path.Combine(folder, "README.md"));
        File.Copy(_folder.File($"out/{ExportFolder.MarkerName}"), Path.Combine(folder, ExportFolder.MarkerName));
    }

    private List<PreferencePair> Expected(string forum, Split split)
    {
        var run = PairRunWriter.List(_store).Single(r => r.Forum.Name == forum);
        return ForumPrefs.Export.PairAssembler.Read(_store, run, new ForumPrefs.Export.PairAssembler.Counts()).Where(p => p.Split == split).ToList();
    }

    [Fact]
    public async Task Shp_parquet_has_SHP_columns_and_types_and_the_same_rows()
    {
        var exports = await ExportAsync(ExportFormat.Shp);
        var file = _folder.File("out/eli5/train.parquet");

        var describe = Duck.Query($"DESCRIBE SELECT * FROM read_parquet('{Duck.Path(file)}')");
        Assert.Equal(ShpColumns, describe.Rows.Select(r => (string)r[0]!));
        Assert.Equal(ShpTypes, describe.Rows.Select(r => (string)r[1]!));

        var expected = Expected("eli5", Split.Train);
        var actual = Duck.Query($"SELECT * FROM read_parquet('{Duck.Path(file)}')").Rows;
        Assert.Equal(expected.Count, actual.Count);
        Assert.True(expected.Count > 100);
        Assert.Equal(expected.Count, exports.Single(e => e.Folder == "eli5").Rows[Split.Train]);
        for (var i = 0; i < expected.Count; i++)
        {
            var (p, row) = (expected[i], actual[i]);
            Assert.Equal(p.PostId, row[0]);
            Assert.Equal("eli5_train", row[1]);
            Assert.Equal(p.UpvoteRatio, (double?)row[2]);
            Assert.Equal(p.History, row[3]);
            Assert.Equal((p.A.Id, p.B.Id), ((string)row[4]!, (string)row[5]!));
            Assert.Equal((p.A.Created.ToUnixTimeSeconds(), p.B.Created.ToUnixTimeSeconds()), ((long)row[6]!, (long)row[7]!));
            Assert.Equal(((long)p.A.Score, (long)p.B.Score), ((long)row[8]!, (long)row[9]!));
            Assert.Equal((p.A.Text, p.B.Text), ((string)row[10]!, (string)row[11]!));
            Assert.Equal((long)p.Label, row[12]);
            Assert.Equal(p.SecondsDifference, (double)row[13]!);
            Assert.Equal(p.CreatedDifferenceSeconds, (double)row[15]!);
            Assert.Equal(p.ScoreRatio, (double)row[14]!);
            // SHP's invariants.
            Assert.True((double)row[13]! >= 0);
            Assert.True((double)row[14]! > 1);
            var preferredScore = (long)row[12]! == 1 ? (long)row[8]! : (long)row[9]!;
            var otherScore = (long)row[12]! == 1 ? (long)row[9]! : (long)row[8]!;
            Assert.True(preferredScore > otherScore);
        }
    }

    [Fact]
    public async Task Trl_parquet_has_prompt_chosen_rejected_with_no_empty_values()
    {
        await ExportAsync(ExportFormat.Trl);
        var glob = Duck.Path(_folder.File("out/*/*.parquet"));

        var columns = Duck.Query($"DESCRIBE SELECT * FROM read_parquet('{glob}')").Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal(["prompt", "chosen", "rejected", "score_ratio", "margin", "post_id", "domain", "subset", "id", "language"], columns);
        // RewardBench's columns: the forum as the subset, a distinct id for every pair.
        Assert.Equal(Duck.Scalar($"SELECT count(*) FROM read_parquet('{glob}')"), Duck.Scalar($"SELECT count(DISTINCT id) FROM read_parquet('{glob}')"));
        Assert.Equal(0, Duck.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE NOT starts_with(domain, subset || '_')"));
        Assert.Equal(0, Duck.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE coalesce(prompt, '') = '' OR coalesce(chosen, '') = '' OR coalesce(rejected, '') = '' OR chosen = rejected"));
        Assert.Equal(Sql.Scalar(_store, "SELECT count(*) FROM pairs"), Duck.Scalar($"SELECT count(*) FROM read_parquet('{glob}')"));
        Assert.Equal(0, Duck.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE margin <= 0 OR score_ratio <= 1"));
    }

    [Fact]
    public async Task Jsonl_is_SHP_s_own_form_with_the_same_rows_as_parquet()
    {
        await ExportAsync(ExportFormat.Jsonl, name: "json");
        await ExportAsync(ExportFormat.Shp, name: "parquet");

        var json = Duck.Query($"SELECT * FROM read_json_auto('{Duck.Path(_folder.File("json/askscience/test.json"))}', format = 'newline_delimited')");
        var parquet = Duck.Query($"SELECT * FROM read_parquet('{Duck.Path(_folder.File("parquet/askscience/test.parquet"))}')");
        Assert.Equal(ShpColumns, json.Columns);
        Assert.Equal(parquet.Rows.Count, json.Rows.Count);
        Assert.Equal(parquet.Rows.Select(r => $"{r[0]}|{r[4]}|{r[5]}|{r[12]}|{r[10]}"), json.Rows.Select(r => $"{r[0]}|{r[4]}|{r[5]}|{r[12]}|{r[10]}"));
    }

    [Fact]
    public async Task Usernames_are_exported_only_when_asked()
    {
        await ExportAsync(ExportFormat.Shp, name: "plain");
        await ExportAsync(ExportFormat.Shp, authors: true, name: "authors");

        var plain = Duck.Query($"SELECT * FROM read_parquet('{Duck.Path(_folder.File("plain/*/*.parquet"))}')");
        Assert.DoesNotContain(plain.Columns, c => c.Contains("author"));
        Assert.DoesNotContain(plain.Rows.SelectMany(r => r), value => value is string s && s.StartsWith("user_", StringComparison.Ordinal));
        var withAuthors = Duck.Query($"SELECT c_root_id_A, author_A FROM read_parquet('{Duck.Path(_folder.File("authors/eli5/train.parquet"))}')");
        Assert.All(withAuthors.Rows, r => Assert.Equal(
            Sql.Text(_store, $"SELECT author FROM comments WHERE id = '{r[0]}'"), r[1]));
    }

    [Fact]
    public async Task The_card_header_parses_and_names_files_that_exist()
    {
        var exports = await ExportAsync(ExportFormat.Shp);
        var plots = DiagnosticPlots.Write(_folder.File("out"), exports);
        var card = File.ReadAllText(DatasetCard.Write(_folder.File("out"), exports, new ExportOptions(ExportFormat.Shp), plots));

        var header = card.Split("---\n")[1];
        var yaml = new YamlStream();
        yaml.Load(new StringReader(header));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var configs = (YamlSequenceNode)root["configs"];
        Assert.Equal(["default", "askscience", "eli5"], configs.Select(c => ((YamlScalarNode)((YamlMappingNode)c)["config_name"]).Value));
        foreach (YamlMappingNode config in configs)
        {
            var files = (YamlSequenceNode)config["data_files"];
            Assert.Equal(["train", "validation", "test"], files.Select(f => ((YamlScalarNode)((YamlMappingNode)f)["split"]).Value));
            foreach (YamlMappingNode file in files)
            {
                var path = ((YamlScalarNode)file["path"]).Value!;
                var matches = path.Contains('*')
                    ? Directory.GetDirectories(_folder.File("out")).SelectMany(d => Directory.GetFiles(d, Path.GetFileName(path))).ToList()
                    : [.. new[] { _folder.File($"out/{path}") }.Where(File.Exists)];
                Assert.True(matches.Count > 0, $"{path} names no file");
            }
        }
        Assert.Contains("| eli5 | simulator | shp |", card);
        Assert.Contains("\"the longer answer wins\"", card);
        // Each forum's section says how often its preferred answer is the longer one: the labels' length bias.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(card, @"the preferred answer is the longer one in \d+(\.\d)? %").Count);
        Assert.Contains(Rules.PreferredEarlier, card);
        Assert.All(plots, plot => Assert.True(new FileInfo(_folder.File($"out/{plot}")).Length > 1000, plot));
    }

    [Fact]
    public async Task Content_deleted_after_pairing_leaves_the_export()
    {
        var victim = Sql.Text(_store, "SELECT c.id FROM pairs p JOIN comments c ON c.pk = p.preferred_pk LIMIT 1")!;
        var involved = Sql.Scalar(_store, $"SELECT count(*) FROM pairs p JOIN comments c ON c.pk IN (p.preferred_pk, p.other_pk) WHERE c.id = '{victim}'");
        using (var command = _store.Connection.CreateCommand())
        {
            // What a re-crawl that sees the removal writes (the store's upsert redacts text and author).
            command.CommandText = $"UPDATE comments SET body = '[removed]', author = '[deleted]' WHERE id = '{victim}'";
            command.ExecuteNonQuery();
        }

        var exports = await ExportAsync(ExportFormat.Trl);

        Assert.Equal(involved, exports.Sum(e => e.SkippedDeleted));
        Assert.Equal(Sql.Scalar(_store, "SELECT count(*) FROM pairs") - involved, exports.Sum(e => e.TotalRows));
        Assert.Equal(0, Duck.Scalar($"SELECT count(*) FROM read_parquet('{Duck.Path(_folder.File("out/*/*.parquet"))}') WHERE chosen = '[removed]' OR rejected = '[removed]'"));
    }

    [Fact]
    public async Task The_loader_streams_both_layouts_alike()
    {
        await ExportAsync(ExportFormat.Shp, name: "shp");
        await ExportAsync(ExportFormat.Trl, name: "trl");

        var fromShp = await DatasetReader.ReadAsync(_folder.File("shp"), Split.Train).ToListAsync();
        var fromTrl = await DatasetReader.ReadAsync(_folder.File("trl"), Split.Train).ToListAsync();

        Assert.Equal(fromShp.Count, fromTrl.Count);
        Assert.Equal(fromShp, fromTrl);
        Assert.Equal(Expected("eli5", Split.Train).Count, (await DatasetReader.ReadAsync(_folder.File("trl"), Split.Train, "eli5").ToListAsync()).Count);
        Assert.All(fromShp, r => Assert.True(r.Margin > 0 && r.ScoreRatio > 1));
    }

    [Fact]
    public async Task The_loader_gives_clear_errors()
    {
        await ExportAsync(ExportFormat.Shp);
        Directory.CreateDirectory(_folder.File("odd/forum"));
        Duck.Query($"COPY (SELECT 1 AS x, 'y' AS prompt) TO '{Duck.Path(_folder.File("odd/forum/train.parquet"))}' (FORMAT parquet)");
        Directory.CreateDirectory(_folder.File("empty"));
        Directory.CreateDirectory(_folder.File("half/forum"));
        File.Copy(_folder.File("out/eli5/train.parquet"), _folder.File("half/forum/train.parquet"));
        var half = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(_folder.File("half"), Split.Train).ToListAsync().AsTask());
        Assert.Contains("not a complete ForumPrefs export", half.Message);
        MarkComplete(_folder.File("odd"));
        MarkComplete(_folder.File("empty"));

        var unknown = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(_folder.File("out"), Split.Train, "nope").ToListAsync().AsTask());
        var missing = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(_folder.File("odd"), Split.Train).ToListAsync().AsTask());
        var empty = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(_folder.File("empty"), Split.Train).ToListAsync().AsTask());

        Assert.Contains("unknown forum 'nope'", unknown.Message);
        Assert.Contains("missing column", missing.Message);
        Assert.Contains("no train.parquet files", empty.Message);
    }

    [Fact]
    public async Task Stack_Exchange_rows_keep_their_attribution_link()
    {
        var site = new Forum("stackexchange", "stats");
        var t0 = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var post = new Post("q1", "How to test?", "Question body", "asker", 5, null, t0, null, false, true, null,
            "https://stats.stackexchange.com/questions/1", 2, AcceptedAnswerId: "a2");
        Comment Answer(string id, int score, int hours) =>
            new(id, "q1", "q1", 0, $"Answer {id}", "answerer" + id, score, t0.AddHours(hours), null, null, false, false);
        _store.WriteThreads([new ForumThread(site, post, [Answer("a1", 10, 1), Answer("a2", 1, 2), Answer("a3", 0, 3)], t0.AddDays(400))]);
        PairingJob.Run(_store, site, new StackExchangePolicy(new StackExchangeOptions()), new SplitAssigner(0, 0, 1));

        var exports = await DatasetExporter.ExportAsync(_store, PairRunWriter.List(_store, "stackexchange"), _folder.File("se"), new ExportOptions(ExportFormat.Trl));

        var rows = Duck.Query($"SELECT chosen, rejected, attribution FROM read_parquet('{Duck.Path(_folder.File("se/stats/test.parquet"))}') ORDER BY chosen, rejected").Rows;
        Assert.Equal(exports.Single().TotalRows, rows.Count);
        Assert.Equal(["Answer a1>Answer a2", "Answer a1>Answer a3", "Answer a2>Answer a3"], rows.Select(r => $"{r[0]}>{r[1]}")); // H4: 3, 1+1, 0
        Assert.All(rows, r => Assert.Equal("https://stats.stackexchange.com/questions/1", r[2]));
    }
}
