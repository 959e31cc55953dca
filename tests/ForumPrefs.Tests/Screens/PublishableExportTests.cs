using ForumPrefs.Tests.Support;
using System.Security.Cryptography;

namespace ForumPrefs.Tests.Screens;

/// <summary>
/// The beer Stack Exchange site exported fit to publish: CC BY-SA attribution columns and the card's obligations, the
/// language column after SHP's own, decontamination against its own test split, and shards DuckDB reads as one split.
/// </summary>
public sealed class PublishableExportTests : IDisposable
{
    private static readonly string[] ShpColumns =
        ["post_id", "domain", "upvote_ratio", "history", "c_root_id_A", "c_root_id_B", "created_at_utc_A", "created_at_utc_B",
         "score_A", "score_B", "human_ref_A", "human_ref_B", "labels", "seconds_difference", "score_ratio"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<string> BeerStoreAsync()
    {
        var db = _folder.File("beer.db");
        var posts = Fixtures.File("stackexchange_dump/WafflesonFire_stackdump/beer.Posts.xml");
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", posts, "--site", "beer.stackexchange.com", "--db", db)).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db)).ExitCode);
        return db;
    }

    [SkippableFact]
    public async Task The_beer_site_exports_with_cc_by_sa_attribution_and_its_card_says_what_a_publisher_must_do()
    {
        var db = await BeerStoreAsync();
        var export = await Support.Cli.RunAsync(_folder.Path, "export", "--db", db, "--out", "out");
        Assert.Equal(0, export.ExitCode);
        var train = Duck.Path(_folder.File("out/beer.stackexchange.com/train.parquet"));
        var (columns, _) = Duck.Query($"SELECT * FROM '{train}' LIMIT 1");
        Assert.Equal(ShpColumns, columns.Take(15));
        Assert.Equal("language", columns[16]);
        foreach (var column in new[] { "license_A", "license_B", "url_A", "url_B", "author_A", "author_B", "question_license", "question_url" })
            Assert.Contains(column, columns);
        Assert.Equal(0L, Duck.Scalar($"SELECT count(*) FROM '{train}' WHERE license_A NOT IN ('CC BY-SA 3.0', 'CC BY-SA 4.0')"));
        Assert.Equal(0L, Duck.Scalar($"SELECT count(*) FROM '{train}' WHERE url_A NOT LIKE 'https://beer.stackexchange.com/a/%'"));
        Assert.True(Duck.Scalar($"SELECT count(*) FROM '{train}' WHERE language = 'en'") > 1800);

        var card = await File.ReadAllTextAsync(_folder.File("out/README.md"));
        Assert.Contains("license: cc-by-sa-4.0", card);
        Assert.Contains("- en", card);
        Assert.Contains("| beer.stackexchange.com | CC BY-SA 3.0 |", card);
        Assert.Contains("share alike", card);
        Assert.Contains("attribute every item", card);
        Assert.Contains("## Personal data", card);
    }

    [SkippableFact]
    public async Task Decontaminating_against_its_own_test_split_removes_every_test_question()
    {
        var db = await BeerStoreAsync();
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--db", db, "--out", "a", "--layout", "trl")).ExitCode);
        var test = _folder.File("a/beer.stackexchange.com/test.parquet");
        var testPosts = Duck.Scalar($"SELECT count(DISTINCT post_id) FROM '{Duck.Path(test)}'");
        Assert.True(testPosts > 20);
        var planted = _folder.File("prompts.jsonl");
        var answer = Sql.Column(db, "SELECT body FROM comments WHERE length(body) > 400 ORDER BY id LIMIT 1")[0];
        await File.WriteAllTextAsync(planted, $$"""{"prompt": "{{System.Text.Json.JsonEncodedText.Encode(answer[..300])}}"}""" + "\n{broken\n");

        var run = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--decontaminate", test, planted);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("question shares an n-gram with a --decontaminate file", run.Out);
        Assert.Contains("answer shares an n-gram with a --decontaminate file", run.Out);
        Assert.Equal(0L, Sql.Scalar(db, "SELECT count(*) FROM pairs WHERE split = 'test'"));

        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--db", db, "--out", "b")).ExitCode);
        var card = await File.ReadAllTextAsync(_folder.File("b/README.md"));
        Assert.Contains($"| test.parquet | `{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(test)))}` |", card);
        Assert.Contains("| prompts.jsonl |", card);

        var missing = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--decontaminate", "nope.jsonl");
        Assert.Equal(2, missing.ExitCode);
        Assert.Single(missing.Error.Trim().Split('\n'));
    }

    [SkippableFact]
    public async Task A_split_bigger_than_max_file_mb_is_written_in_shards_read_as_one_split()
    {
        var db = await BeerStoreAsync();
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--db", db, "--out", "whole")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--db", db, "--out", "shards", "--max-file-mb", "0.25")).ExitCode);
        var shards = Directory.GetFiles(_folder.File("shards/beer.stackexchange.com"), "train-*-of-*.parquet").Order().ToList();
        Assert.True(shards.Count >= 2, string.Join(", ", Directory.GetFiles(_folder.File("shards/beer.stackexchange.com"))));
        Assert.EndsWith($"train-00000-of-{shards.Count:D5}.parquet", shards[0]);
        Assert.Equal(Duck.Scalar($"SELECT count(*) FROM '{Duck.Path(_folder.File("whole/beer.stackexchange.com/train.parquet"))}'"),
            Duck.Scalar($"SELECT count(*) FROM '{Duck.Path(_folder.File("shards"))}/*/train*.parquet'"));
        var card = await File.ReadAllTextAsync(_folder.File("shards/README.md"));
        foreach (var shard in shards)
            Assert.Contains($"- \"beer.stackexchange.com/{Path.GetFileName(shard)}\"", card);
        var rows = 0;
        await foreach (var _ in ForumPrefs.Datasets.DatasetReader.ReadAsync(_folder.File("shards"), ForumPrefs.Core.Split.Train))
            rows++;
        Assert.Equal(Duck.Scalar($"SELECT count(*) FROM '{Duck.Path(_folder.File("whole/beer.stackexchange.com/train.parquet"))}'"), rows);
    }
}
