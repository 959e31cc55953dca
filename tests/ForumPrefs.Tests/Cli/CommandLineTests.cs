using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text.Json;

namespace ForumPrefs.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Simulate_fills_the_default_store_in_the_working_folder()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "40", "--seed", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("simulated posts 0..40", result.Out);
        Assert.Contains("simulate: 40/40 posts", result.Error);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(40, Sql.Scalar(store, "SELECT count(*) FROM posts"));
    }

    [Fact]
    public async Task Run_is_the_main_job_and_says_where_its_outputs_are()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "run", "--posts", "200", "--db", "main.db");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"store: {_folder.File("main.db")}", result.Out);
        Assert.Contains("simulator/explainlikeimfive", result.Out);
        Assert.Contains("simulator/askscience", result.Out);
        Assert.Contains($"dataset card: {_folder.File("datasets/simulated/README.md")}", result.Out);
        foreach (var forum in new[] { "explainlikeimfive", "askscience" })
            foreach (var split in new[] { "train", "validation", "test" })
                Assert.True(File.Exists(_folder.File($"datasets/simulated/{forum}/{split}.parquet")), $"{forum}/{split}");
        Assert.True(File.Exists(_folder.File("datasets/simulated/plots/label_accuracy_by_ratio.png")));
        using var store = ForumStore.Open(_folder.File("main.db"));
        Assert.Equal(200, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.True(Sql.Scalar(store, "SELECT count(*) FROM pairs") > 100);

        // The last stage: a trained model, evaluated, that scores new answers.
        var model = _folder.File("models/simulated");
        Assert.Contains($"model: {model}", result.Out);
        var test = System.Text.RegularExpressions.Regex.Match(result.Out, @"test: accuracy ([0-9.]+) ?% on ([0-9,]+) pairs");
        Assert.True(test.Success, result.Out);
        Assert.True(int.Parse(test.Groups[2].Value.Replace(",", "")) > 0);
        Assert.Contains("## test", File.ReadAllText(Path.Combine(model, "report.md")));
        var (trained, encoder, _) = ForumPrefs.Training.Trainer.Load(model, "cpu");
        using (trained)
        {
            var rewards = ForumPrefs.Training.RewardScorer.Score(trained.Model, encoder,
                [("Why is the sky blue?", "Sunlight scatters off air molecules; blue scatters most."), ("Why is the sky blue?", "no idea")], TorchSharp.torch.CPU);
            Assert.All(rewards, r => Assert.True(float.IsFinite(r)));
            Assert.NotEqual(rewards[0], rewards[1]);
        }
    }

    [Fact]
    public async Task A_simulation_checkpoint_of_the_older_bare_number_form_still_resumes()
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "20");
        using (var store = ForumStore.Open(_folder.File("forumprefs.db")))
            Sql.Scalar(store, "UPDATE checkpoints SET state = '12' WHERE source = 'simulator'");
        var before = Sql.ScalarAt(_folder.File("forumprefs.db"), "SELECT count(*) FROM comments");

        var resumed = await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "30");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resuming simulation at post 12 of 30", resumed.Error);
        Assert.Contains("posts 12..30", resumed.Out);
        Assert.Equal(30, Sql.ScalarAt(_folder.File("forumprefs.db"), "SELECT count(*) FROM posts"));
        Assert.True(Sql.ScalarAt(_folder.File("forumprefs.db"), "SELECT count(*) FROM comments") > before);
    }

    [Fact]
    public async Task Stats_prints_counts_per_forum_as_a_table_or_as_json()
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "20", "--forums", "a,b");

        var table = await Support.Cli.RunAsync(_folder.Path, "stats");
        var json = await Support.Cli.RunAsync(_folder.Path, "stats", "--format", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("simulator", table.Out);
        Assert.Contains("forums=a,b;seed=42", table.Out);
        using var document = JsonDocument.Parse(json.Out);
        var forums = document.RootElement.GetProperty("forums").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], forums.Select(f => f.GetProperty("forum").GetString()));
        Assert.Equal(20, forums.Sum(f => f.GetProperty("posts").GetInt64()));
        using var state = JsonDocument.Parse(document.RootElement.GetProperty("checkpoints")[0].GetProperty("state").GetString()!);
        Assert.Equal(20, state.RootElement.GetProperty("next").GetInt32());
    }

    [Fact]
    public async Task Query_runs_inline_sql_named_queries_and_files_in_every_format()
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "25");
        File.WriteAllText(_folder.File("mine.sql"), "-- how many posts?\nSELECT count(*) AS n FROM posts;");

        var csv = await Support.Cli.RunAsync(_folder.Path, "query", "SELECT id, score FROM posts ORDER BY id LIMIT 3", "--format", "csv");
        var json = await Support.Cli.RunAsync(_folder.Path, "query", "mine.sql", "--format", "json");
        var named = await Support.Cli.RunAsync(_folder.Path, "query", "comments_per_post");

        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Out.Trim().Split('\n');
        Assert.Equal("id,score", lines[0]);
        Assert.Equal(4, lines.Length);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(25, document.RootElement[0].GetProperty("n").GetInt64());
        Assert.Equal(0, named.ExitCode);
        Assert.Contains("mean_comments", named.Out);
    }

    [Theory]
    [InlineData("DELETE FROM posts")]
    [InlineData("ATTACH DATABASE 'x.db' AS x")]
    [InlineData("SELECT load_extension('evil')")]
    public async Task Query_refuses_writes_with_one_line_and_exit_code_1(string sql)
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "5");

        var result = await Support.Cli.RunAsync(_folder.Path, "query", sql);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: query refused", result.Error);
        Assert.False(File.Exists(_folder.File("x.db")));
    }

    [Fact]
    public async Task A_missing_named_query_lists_the_known_ones()
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "5");

        var result = await Support.Cli.RunAsync(_folder.Path, "query", "no_such_query");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no query named 'no_such_query'", result.Error);
        Assert.Contains("top_posts_by_comments", result.Error);
    }

    [Fact]
    public async Task A_corrupt_store_is_one_line_without_a_stack_trace()
    {
        File.WriteAllText(_folder.File("forumprefs.db"), new string('#', 4096));

        var result = await Support.Cli.RunAsync(_folder.Path, "stats");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: cannot open store 'forumprefs.db': the file is not a SQLite database (or is corrupt)",
            result.Error.Trim().Replace(_folder.Path + "/", ""));
        Assert.DoesNotContain(" at ", result.Error);
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_is_refused()
    {
        await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "2");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.File("forumprefs.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 1000";
            command.ExecuteNonQuery();
        }

        var result = await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "4");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("newer than this forumprefs supports", result.Error);
    }

    [Theory]
    [InlineData("simulate", "--posts", "many")]
    [InlineData("simulate", "--no-such-option")]
    [InlineData("simulate", "--posts", "-1")]
    [InlineData("stats", "--format", "xml")]
    [InlineData("frobnicate")]
    public async Task Bad_usage_is_one_line_and_exit_code_2(params string[] args)
    {
        var result = await Support.Cli.RunAsync(_folder.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Help_lists_every_verb_and_exits_0()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "run", "simulate", "query", "stats", "ingest", "crawl", "pairs", "export", "train", "eval", "score" })
            Assert.Contains(verb, result.Out);
        // Benchmarks are their own program (forumprefs-bench): the shipped command line does not carry them.
        Assert.DoesNotContain("bench", result.Out);
    }

    [Fact]
    public async Task Bench_store_prints_its_figures_next_to_the_reference()
    {
        var result = await Support.Cli.BenchAsync(_folder.Path, "store", "--comments", "2000", "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Out.Split('\n').Where(l => l.Contains(",2000,")).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Contains(rows, r => r.StartsWith("reference: plain SQLite (32-row prepared inserts bound by index; one transaction),2000,", StringComparison.Ordinal) && r.EndsWith(",1", StringComparison.Ordinal));
        Assert.Contains("the target of 200,000/s", result.Out);
        Assert.Contains("the price of the store's guarantees", result.Out);
        Assert.Contains("forumprefs: plain build (", result.Out); // the tests run the plain build
    }

    [Fact]
    public void A_ReadyToRun_image_is_told_from_a_plain_one()
    {
        // The runtime's own library is shipped precompiled; the tests' copy of forumprefs.dll is a plain build.
        Assert.Equal("ReadyToRun publish", ForumPrefs.Bench.BuildKind.Of(typeof(object).Assembly.Location));
        Assert.Equal("plain build", ForumPrefs.Bench.BuildKind.Of(Path.Combine(AppContext.BaseDirectory, "forumprefs.dll")));
    }

    [Fact]
    public async Task A_bench_larger_than_the_free_disk_is_refused_at_once_in_one_line()
    {
        // 20 million MB of dump is beyond any disk here: refused before anything is generated.
        var result = await Support.Cli.BenchAsync(_folder.Path, "dump", "--mb", "20000000");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("this benchmark writes about 125829.1 GB under", line);
        Assert.Contains("set TMPDIR to a folder with more room", line);
    }

    [Fact]
    public void Room_is_refused_only_below_what_the_benchmark_needs()
    {
        ForumPrefs.Bench.ScratchFolder.RequireRoom("/scratch", 5_000_000_000, 5_000_000_000);
        var problem = Assert.Throws<ForumPrefs.Bench.BenchException>(() => ForumPrefs.Bench.ScratchFolder.RequireRoom("/scratch", 5_000_000_000, 4_200_000_000));
        Assert.Equal("this benchmark writes about 5.0 GB under /scratch, whose file system has 4.2 GB free: choose a smaller size, or set TMPDIR to a folder with more room", problem.Message);
    }

    [Fact]
    public void Stages_compared_with_each_other_run_in_turn_each_from_an_empty_store()
    {
        var log = Path.Combine(_folder.Path, "runs.log");
        var store = Path.Combine(_folder.Path, "a.db");
        // Stage a notes whether its store was still there from its last run, then leaves one behind for the bench to delete.
        var a = new ForumPrefs.Bench.Stage("a", 1,
            ["sh", "-c", $"if [ -e '{store}' ]; then echo a-stale >> '{log}'; else echo a >> '{log}'; fi; touch '{store}' '{store}-wal'"], store);
        var b = new ForumPrefs.Bench.Stage("b", 1, ["sh", "-c", $"echo b >> '{log}'"]);

        var measured = ForumPrefs.Bench.Processes.MeasureInTurn(a, b);

        Assert.Equal(["a", "b", "a", "b"], File.ReadAllLines(log));
        Assert.Equal(["a", "b"], measured.Select(m => m.Stage));
        Assert.All(measured, m => Assert.True(m.Seconds >= 0 && m.PeakRssMb >= 0));
    }

    [Fact]
    public void A_stage_measured_alone_runs_twice_from_an_empty_store_and_keeps_the_last_one()
    {
        var log = Path.Combine(_folder.Path, "alone.log");
        var store = Path.Combine(_folder.Path, "alone.db");
        var command = new[] { "sh", "-c", $"if [ -e '{store}' ]; then echo stale >> '{log}'; else echo fresh >> '{log}'; fi; touch '{store}' '{store}-wal'", "--db", store };

        ForumPrefs.Bench.Processes.Measure("alone", 1, true, command);

        Assert.Equal(["fresh", "fresh"], File.ReadAllLines(log));
        Assert.True(File.Exists(store) && File.Exists(store + "-wal")); // the stages after it read the last run's store
    }

    [Fact]
    public void A_missing_python_module_of_a_reference_is_named_with_what_to_install()
    {
        var problem = Assert.Throws<ForumPrefs.Bench.BenchException>(() =>
            ForumPrefs.Bench.PythonReference.Script("ingest_reddit_dump.py", ("no_such_module_forumprefs", "python3-nosuch (Debian)")));

        Assert.DoesNotContain("Traceback", problem.Message);
        Assert.Contains(File.Exists(ForumPrefs.Bench.PythonReference.Python) ? "install python3-nosuch (Debian)" : "apt-get install python3", problem.Message);
    }

    [Fact]
    public async Task Bench_verbs_share_one_shape_and_refuse_sizes_below_their_least()
    {
        foreach (var (verb, option) in new[] { ("store", "--comments"), ("pairs", "--posts"), ("dump", "--mb"), ("all", "--mb"), ("train", "--steps") })
        {
            var help = await Support.Cli.BenchAsync(_folder.Path, verb, "--help");
            Assert.Contains(option, help.Out);
            Assert.Contains("--format", help.Out);
            var tooSmall = await Support.Cli.BenchAsync(_folder.Path, verb, option, "0");
            Assert.Equal(2, tooSmall.ExitCode);
            Assert.Contains($"{option} must be at least", tooSmall.Error);
        }
    }
}
