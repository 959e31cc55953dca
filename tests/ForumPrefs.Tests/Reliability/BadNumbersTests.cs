using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ForumPrefs.Tests.Reliability;

/// <summary>Numbers from files and options that once crashed a verb or were taken at face value.</summary>
public sealed class BadNumbersTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task OpenAssistant_ranks_below_zero_or_past_the_replies_are_counted_and_dropped()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "Samples", "oasst", "en-validation.first5trees.jsonl");
        var lines = File.ReadAllLines(sample).Select(l => JsonNode.Parse(l)!).ToList();
        var ranked = lines.Where(l => l["rank"] is JsonValue).ToList();
        ranked[0]["rank"] = -1;
        ranked[1]["rank"] = 99999;
        File.WriteAllLines(_folder.File("ranks.jsonl"), lines.Select(l => l.ToJsonString()));

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "oasst", "ranks.jsonl", "--format", "csv");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("rank_out_of_range", result.Out + result.Error);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(ranked.Count - 2, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE json_extract(meta, '$.rank') IS NOT NULL"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE json_extract(meta, '$.rank') NOT BETWEEN 0 AND 99"));
    }

    private string Gpt2With(string name, Action<JsonObject> change)
    {
        var folder = _folder.File(name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "gpt2-tiny")))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        change(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        return name;
    }

    [Theory]
    [InlineData("n_embd", "1536", "does not match its weights")]
    [InlineData("n_layer", "8", "claims 8 layers, the weights hold 2")]
    [InlineData("n_head", "0", "attention heads is 0")]
    [InlineData("n_head", "5", "not a multiple of its 5 attention heads")]
    [InlineData("n_layer", "\"2\"", "n_layer must be a whole number")]
    [InlineData("n_positions", "-1", "positions is -1")]
    [InlineData("resid_pdrop", "1.5", "dropout 1.5")]
    public async Task A_model_config_that_lies_about_its_weights_is_refused_before_a_model_is_built(string field, string value, string message)
    {
        var folder = Gpt2With($"gpt2-{field}", c => c[field] = JsonNode.Parse(value));
        var clock = Stopwatch.StartNew();

        var result = await Support.Cli.RunAsync(_folder.Path, "models", "inspect", folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}: the model was built before the check");
    }

    [Fact]
    public async Task The_real_tiny_gpt2_still_passes_the_checks()
    {
        var folder = Gpt2With("gpt2-ok", _ => { });

        var result = await Support.Cli.RunAsync(_folder.Path, "models", "inspect", folder);

        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Theory]
    [InlineData("query", "SELECT 1", "--timeout", "NaN")]
    [InlineData("query", "SELECT 1", "--timeout", "1e300")]
    [InlineData("pairs", null, "--min-score-age", "NaN")]
    [InlineData("pairs", null, "--min-ratio", "Infinity")]
    [InlineData("crawl", "html", "--interval", "NaN")]
    [InlineData("crawl", "html", "--timeout", "1e300")]
    public async Task NaN_infinite_and_huge_option_values_are_usage_errors(string verb, string? argument, string option, string value)
    {
        ForumStore.Open(_folder.File("forumprefs.db")).Dispose();
        string[] args = verb == "crawl"
            ? [verb, argument!, "http://127.0.0.1:9/page", "--profile", "stackexchange", option, value]
            : argument is null ? [verb, option, value] : [verb, argument, option, value];

        var result = await Support.Cli.RunAsync(_folder.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error);
    }
}
