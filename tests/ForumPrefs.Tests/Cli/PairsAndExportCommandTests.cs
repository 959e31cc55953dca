using ForumPrefs.Tests.Support;
using System.Text.Json;

namespace ForumPrefs.Tests.Cli;

public sealed class PairsAndExportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PairsAndExportCommandTests() =>
        Assert.Equal(0, Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "300", "--forums", "eli5,askscience").Result.ExitCode);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Pairs_prints_counts_report_and_label_accuracy_as_json()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "pairs", "--min-ratio", "2", "--max-pairs-per-post", "5", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var forums = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["simulator/askscience", "simulator/eli5"], forums.Select(f => f.GetProperty("forum").GetString()));
        foreach (var forum in forums)
        {
            Assert.Equal("shp", forum.GetProperty("policy").GetString());
            Assert.True(forum.GetProperty("pairs").GetInt64() > 0);
            Assert.Equal(forum.GetProperty("pairs").GetInt64(), forum.GetProperty("report").GetProperty("pairs_kept").GetInt64());
            Assert.InRange(forum.GetProperty("diagnostics").GetProperty("label_accuracy").GetDouble(), 0.6, 1.0);
            Assert.Contains(forum.GetProperty("report").GetProperty("rules").EnumerateArray(),
                r => r.GetProperty("rule").GetString() == "score ratio below minimum");
        }
    }

    [Fact]
    public async Task Pairs_for_one_forum_prints_a_table_with_the_rejection_report()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "pairs", "--forum", "eli5");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("simulator/eli5", result.Out);
        Assert.DoesNotContain("simulator/askscience", result.Out);
        Assert.Contains("higher-scored answer written earlier", result.Out);
        Assert.Contains("label accuracy against the hidden quality", result.Out);
    }

    [Theory]
    [InlineData("--forum", "nope", "unknown forum 'nope'")]
    [InlineData("--splits", "90/10", "--splits must look like 90/5/5")]
    [InlineData("--min-ratio", "0.5", "--min-ratio must be at least 1")]
    [InlineData("--policy", "magic", "--policy must be one of")]
    [InlineData("--created-before", "someday", "--created-before must be a date")]
    [InlineData("--keep", "nsfw,everything", "--keep takes")]
    public async Task Bad_pairing_options_are_usage_errors(string option, string value, string message)
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "pairs", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Keep_switches_exclusions_off_and_the_options_are_stored()
    {
        var strict = await Support.Cli.RunAsync(_folder.Path, "pairs", "--forum", "eli5", "--format", "json");
        var lax = await Support.Cli.RunAsync(_folder.Path, "pairs", "--forum", "eli5", "--format", "json", "--keep", "link-posts,nsfw,edited-posts");

        long Removed(string json, string rule) => JsonDocument.Parse(json).RootElement[0].GetProperty("report").GetProperty("rules")
            .EnumerateArray().Where(r => r.GetProperty("rule").GetString() == rule).Sum(r => r.GetProperty("removed").GetInt64());
        Assert.True(Removed(strict.Out, "link post (not a self post)") > 0);
        Assert.Equal(0, Removed(lax.Out, "link post (not a self post)"));
        Assert.Equal(0, Removed(lax.Out, "post marked NSFW"));
        using var store = ForumPrefs.Store.ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Contains("\"self_posts_only\":false", Sql.Text(store, "SELECT options FROM pair_runs"));
    }

    [Fact]
    public async Task Export_writes_every_split_and_a_card_in_each_format()
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs")).ExitCode);
        var stored = Sql.ScalarAt(_folder.File("forumprefs.db"), "SELECT count(*) FROM pairs");
        Assert.True(stored > 0);

        foreach (var (format, extension) in new[] { ("shp", "parquet"), ("trl", "parquet"), ("jsonl", "json") })
        {
            var result = await Support.Cli.RunAsync(_folder.Path, "export", "--layout", format, "--out", $"datasets/{format}");
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("dataset card:", result.Out);
            foreach (var forum in new[] { "eli5", "askscience" })
                foreach (var split in new[] { "train", "validation", "test" })
                    Assert.True(File.Exists(_folder.File($"datasets/{format}/{forum}/{split}.{extension}")), $"{format} {forum} {split}");
            Assert.Empty(Directory.GetFiles(_folder.File($"datasets/{format}"), "*.partial", SearchOption.AllDirectories));
            // Every stored pair is in the files, counted by DuckDB (an independent reader), not by our own loader.
            var files = Duck.Path(_folder.File($"datasets/{format}/*/*.{extension}"));
            var rows = Duck.Scalar(format == "jsonl" ? $"SELECT count(*) FROM read_json_auto('{files}', format = 'newline_delimited')" : $"SELECT count(*) FROM read_parquet('{files}')");
            Assert.Equal(stored, rows);
        }

        // The layout's old spelling still works, with a warning that names the new one.
        var old = await Support.Cli.RunAsync(_folder.Path, "export", "--format", "trl", "--out", "datasets/old-spelling");
        Assert.Equal(0, old.ExitCode);
        Assert.Contains("'export --format' is now '--layout'", old.Error);
        Assert.Equal(File.ReadAllBytes(_folder.File("datasets/trl/eli5/test.parquet")).Length,
            File.ReadAllBytes(_folder.File("datasets/old-spelling/eli5/test.parquet")).Length);
    }

    [Fact]
    public async Task Export_before_pairs_and_bad_export_options_fail_clearly()
    {
        var noPairs = await Support.Cli.RunAsync(_folder.Path, "export", "--out", "x");
        var badFormat = await Support.Cli.RunAsync(_folder.Path, "export", "--out", "x", "--layout", "csv");
        var twice = await Support.Cli.RunAsync(_folder.Path, "export", "--out", "x", "--layout", "trl", "--format", "shp");
        var noOut = await Support.Cli.RunAsync(_folder.Path, "export");

        Assert.Equal(1, noPairs.ExitCode);
        Assert.Contains("run 'forumprefs pairs' first", noPairs.Error);
        Assert.Equal(2, badFormat.ExitCode);
        Assert.Contains("--layout must be shp, trl or jsonl", badFormat.Error);
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("give the layout once", twice.Error);
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--out", noOut.Error);
    }

    [Fact]
    public async Task Nested_pairs_built_with_keep_nested_are_exported_not_dropped()
    {
        var pairs = await Support.Cli.RunAsync(_folder.Path, "pairs", "--forum", "eli5", "--keep", "nested", "--min-score-age", "0", "--format", "json");
        Assert.Equal(0, pairs.ExitCode);
        var built = JsonDocument.Parse(pairs.Out).RootElement[0].GetProperty("pairs").GetInt64();
        using (var store = ForumPrefs.Store.ForumStore.Open(_folder.File("forumprefs.db")))
            Assert.True(Sql.Scalar(store, "SELECT count(*) FROM pairs x JOIN comments c ON c.pk = x.preferred_pk OR c.pk = x.other_pk WHERE c.depth > 0") > 0,
                "the simulator's replies must give nested pairs");

        var export = await Support.Cli.RunAsync(_folder.Path, "export", "--layout", "jsonl", "--out", "datasets/nested");

        Assert.Equal(0, export.ExitCode);
        Assert.DoesNotContain("deleted since", export.Error);
        var rows = Directory.GetFiles(_folder.File("datasets/nested/eli5"), "*.json").Sum(f => File.ReadLines(f).Count());
        Assert.Equal(built, rows);
    }

    [Theory]
    [InlineData("shp", "parquet")]
    [InlineData("jsonl", "json")]
    public async Task Seconds_difference_keeps_SHP_meaning_when_the_policy_has_no_time_rule(string layout, string extension)
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--forum", "eli5", "--no-time-rule")).ExitCode);

        var export = await Support.Cli.RunAsync(_folder.Path, "export", "--layout", layout, "--out", $"datasets/{layout}");

        Assert.Equal(0, export.ExitCode);
        var files = Duck.Path(_folder.File($"datasets/{layout}/eli5/*.{extension}"));
        var reader = extension == "json" ? $"read_json_auto('{files}')" : $"read_parquet('{files}')";
        var row = Duck.Query($"""
            SELECT min(seconds_difference), count(*) FILTER (WHERE seconds_difference IS NULL),
                   count(*) FILTER (WHERE created_difference_seconds < 0), count(*),
                   count(*) FILTER (WHERE seconds_difference IS NOT NULL AND seconds_difference <> created_difference_seconds)
            FROM {reader}
            """).Rows.Single();
        // A reader assuming SHP's meaning (never negative) finds no negative value; the earlier-preferred pairs say so.
        Assert.True(Convert.ToDouble(row[0]) >= 0);
        Assert.True(Convert.ToInt64(row[1]) > 0, "without the time rule some preferred answers came first");
        Assert.Equal(Convert.ToInt64(row[2]), Convert.ToInt64(row[1]));
        Assert.Equal(0L, Convert.ToInt64(row[4]));
        var card = File.ReadAllText(_folder.File($"datasets/{layout}/README.md"));
        Assert.Contains($"preferred answer written first: {Convert.ToInt64(row[1]):N0} pairs", card);
        Assert.Contains("`created_difference_seconds`", card);
    }

    [Fact]
    public async Task Comment_scores_of_zero_export_finite_ratios_in_every_layout()
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--forum", "eli5", "--min-comment-score", "-5", "--min-score-age", "0")).ExitCode);

        foreach (var (layout, extension) in new[] { ("jsonl", "json"), ("shp", "parquet") })
        {
            var export = await Support.Cli.RunAsync(_folder.Path, "export", "--layout", layout, "--out", $"datasets/zero-{layout}");
            Assert.True(export.ExitCode == 0, export.Error);
            var files = Duck.Path(_folder.File($"datasets/zero-{layout}/eli5/*.{extension}"));
            var reader = extension == "json" ? $"read_json_auto('{files}')" : $"read_parquet('{files}')";
            var row = Duck.Query($"SELECT count(*)::BIGINT, (count(*) FILTER (WHERE isinf(score_ratio) OR score_ratio < 1))::BIGINT, min(least(score_A, score_B))::BIGINT FROM {reader}").Rows.Single();
            Assert.True(Convert.ToInt64(row[0]) > 0);
            Assert.Equal(0L, Convert.ToInt64(row[1]));
            Assert.True(Convert.ToInt64(row[2]) <= 0, "the export must hold pairs with a score of 0 or below");
        }
    }
}
