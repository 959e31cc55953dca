using ForumPrefs.Cli;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Sources.Toy;

/// <summary>A source added as one folder (<see cref="ToySource"/>) is found by every verb through the seam, end to end.</summary>
public sealed class ToySourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ForumSources _sources = new([new ToySource()]);

    public void Dispose() => _folder.Dispose();

    private async Task<Support.Cli.Outcome> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefsApp.RunAsync(args, new CliIO(output, error, false, _folder.Path), sources: _sources);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    private string ToyFile(params string[] extra)
    {
        var lines = new List<string>();
        for (var t = 0; t < 40; t++)
        {
            var start = 1_600_000_000 + t * 86_400;
            lines.Add($"t{t}|t{t}||20|{start}|Question {t}: how do toys work?");
            for (var a = 0; a < 4; a++)
                lines.Add($"t{t}|t{t}a{a}|t{t}|{(a * 7 + t) % 11}|{start + 600 * (a + 1)}|Answer {a} to question {t}, in its own words number {a * 31 + t}.");
        }
        var file = _folder.File("forum.toy");
        File.WriteAllLines(file, lines.Concat(extra));
        return file;
    }

    [Fact]
    public async Task A_toy_source_gets_an_ingest_verb_a_run_option_and_its_own_default_policy()
    {
        var file = ToyFile("not|a|toy|line");

        var help = await RunAsync("ingest", "--help");
        var ingest = await RunAsync("ingest", "toy", file, "--forum", "bricks", "--db", _folder.File("toy.db"));
        var run = await RunAsync("run", "--toy", file, "--forum", "bricks", "--db", _folder.File("run.db"), "--skip-train");

        Assert.Contains("toy", help.Out);
        Assert.Equal(3, ingest.ExitCode); // the bad line is a counted skip
        Assert.Contains("bad_line", ingest.Out);
        Assert.Equal(0, run.ExitCode);
        // The dataset is named by the source, and its pairs were built by the policy the source declared.
        var card = File.ReadAllText(_folder.File("datasets/toy-bricks/README.md"));
        Assert.Contains("policy `stackexchange`", card);
        using var store = ForumStore.Open(_folder.File("run.db"), create: false);
        Assert.Equal(40, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal("stackexchange", Sql.Text(store, "SELECT policy FROM pair_runs"));
        Assert.True(Sql.Scalar(store, "SELECT count(*) FROM pairs") > 40);
    }

    [Fact]
    public async Task The_toy_source_s_errors_are_one_line_with_the_right_exit_code()
    {
        var file = ToyFile("boom|b1||1|1600000000|x");

        var missing = await RunAsync("ingest", "toy", file, "--db", _folder.File("a.db"));
        var bad = await RunAsync("ingest", "toy", file, "--forum", "b4d!", "--db", _folder.File("b.db"));
        var failed = await RunAsync("ingest", "toy", file, "--forum", "bricks", "--db", _folder.File("c.db"));

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--forum", missing.Error);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: --forum must be letters only, not 'b4d!'", bad.Error.Trim());
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal("error: the toy server said no to thread b1", failed.Error.Trim().Split('\n')[^1]);
    }

    [Fact]
    public void Without_the_toy_the_default_sources_are_found_and_name_their_policies()
    {
        var names = ForumSources.Default.All.Select(s => s.Name).ToList();

        Assert.DoesNotContain("toy", names);
        foreach (var name in new[] { "reddit-dump", "stackexchange", "stackexchange-votes", "html", "oasst", "mapped", "discourse", "reddit", "simulator" })
            Assert.Contains(name, names);
        Assert.Equal("stackexchange", ForumSources.Default.DefaultPolicy("stackexchange"));
        Assert.Equal("ranking", ForumSources.Default.DefaultPolicy("oasst"));
        Assert.Equal("discourse", ForumSources.Default.DefaultPolicy("discourse"));
        Assert.Equal("stackexchange", _sources.DefaultPolicy("toy"));
    }
}
