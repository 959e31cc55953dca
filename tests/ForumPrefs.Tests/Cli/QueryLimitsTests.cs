using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text.Json;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Cli;

/// <summary>query streams any number of rows, stops at --timeout, and refuses what it would otherwise ignore.</summary>
public sealed class QueryLimitsTests : IDisposable
{
    private const string Endless = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x, 'row ' || x AS label FROM r";
    private readonly TempFolder _folder = new();

    public QueryLimitsTests()
    {
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 5))]);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A writer that gives up after some characters, as a closed pipe (`| head`) would.</summary>
    private sealed class HeadWriter(int characters) : StringWriter
    {
        private int _written;

        public override void Write(char value)
        {
            if (++_written > characters)
                throw new IOException("pipe closed");
            base.Write(value);
        }

        public override void Write(string? value)
        {
            _written += value?.Length ?? 0;
            if (_written > characters)
                throw new IOException("pipe closed");
            base.Write(value);
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task An_endless_result_streams_rows_as_they_come(string format)
    {
        // Were rows gathered before printing, this would run until --timeout; streamed, the reader sees rows at once.
        var output = new HeadWriter(20_000);
        var error = new StringWriter();
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(["query", Endless, "--format", format, "--timeout", "20"],
            new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path));

        Assert.Equal(1, code);
        Assert.Contains("pipe closed", error.ToString());
        Assert.DoesNotContain("stopped after", error.ToString());
        Assert.True(output.ToString().Length > 0);
    }

    [Fact]
    public async Task The_table_draws_a_capped_number_of_rows_and_says_how_many_there_were()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "query", Endless + " LIMIT 2500", "--max-rows", "100");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(showing the first 100 of 2,500 rows; --format csv or json prints them all)", result.Out);
        Assert.Contains("row 100", result.Out);
        Assert.DoesNotContain("row 101", result.Out);
        var json = await Support.Cli.RunAsync(_folder.Path, "query", Endless + " LIMIT 2500", "--format", "json");
        Assert.Equal(2500, JsonDocument.Parse(json.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_query_past_its_timeout_stops_with_one_line()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Support.Cli.RunAsync(_folder.Path, "query", "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r", "--timeout", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("query stopped after 1 s", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("SELECT 1; SELECT 2", false)]
    [InlineData("SELECT 1; DELETE FROM comments", false)]
    [InlineData("SELECT 1;", true)]
    [InlineData("SELECT 1; -- a closing comment", true)]
    [InlineData("-- a leading comment\nSELECT 1", true)]
    public async Task A_second_statement_is_refused_not_ignored(string sql, bool ok)
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "query", sql);

        Assert.Equal(ok ? 0 : 1, result.ExitCode);
        if (!ok)
            Assert.Contains("more than one statement", result.Error);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"), create: false);
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM comments"));
    }

    [Theory]
    [InlineData("{\"question\":\"q\",\"answer\":\"a\"}\n{not json\n", "line 2: not a JSON object")]
    [InlineData("[1,2]\n", "line 1: needs \"question\" and \"answer\" text fields")]
    [InlineData("{\"question\":1,\"answer\":\"a\"}\n", "line 1: needs \"question\" and \"answer\" text fields")]
    public async Task A_bad_score_input_line_is_one_clear_line(string content, string message)
    {
        File.WriteAllText(_folder.File("answers.jsonl"), content);

        var result = await Support.Cli.RunAsync(_folder.Path, "score", "--model", "no-model", "--input", "answers.jsonl");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
