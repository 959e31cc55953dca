using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Export;
using ForumPrefs.Tests.Support;
using ForumPrefs.Training;
using System.Diagnostics;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class TrainerTests(SimulatedExport export) : IClassFixture<SimulatedExport>, IDisposable
{
    private static readonly TrainConfig Small = new() { Layers = 1, Width = 32, Heads = 2, MaxLength = 160, BatchSize = 16, LearningRate = 1e-3, CheckpointEvery = 20 };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Loss_falls_on_a_tiny_seeded_problem()
    {
        random.manual_seed(1);
        var config = Small with { MaxLength = 16 };
        using var model = new RewardModel(100, config);
        using var optimizer = optim.AdamW(model.parameters(), 3e-3);
        // Preferred inputs contain token 7, rejected ones token 9: a pattern the model must pick up.
        var rng = new Random(1);
        int[] Input(int marker) => [.. Enumerable.Range(0, 6).Select(_ => rng.Next(20, 90)), marker, .. Enumerable.Range(0, 5).Select(_ => rng.Next(20, 90))];
        var pairs = Enumerable.Range(0, 64).Select(_ => (Input(7), Input(9))).ToList();
        var losses = new List<float>();
        for (var step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            model.train();
            var (ids, padding) = Pad([.. pairs.Select(p => p.Item1), .. pairs.Select(p => p.Item2)]);
            var rewards = model.forward(ids, padding);
            var loss = -nn.functional.logsigmoid(rewards[..pairs.Count] - rewards[pairs.Count..]).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses.Skip(50).Average() < losses.Take(5).Average() * 0.5, $"loss went from {losses[0]:F3} to {losses[^1]:F3}");
    }

    [Fact]
    public async Task Trained_on_a_simulator_export_it_beats_the_length_baseline_by_ten_points()
    {
        var result = await Trainer.TrainAsync(Small with { Width = 64, Heads = 4, Layers = 2, BatchSize = 32 }, export.Data, _folder.File("model"), false, "cpu");
        var (model, encoder, config) = Trainer.Load(_folder.File("model"), "cpu");
        using (model)
        {
            var test = await TrainingData.EncodeAsync(export.Data, Split.Test, null, encoder).ToListAsync();
            var evaluation = await Evaluator.EvaluateAsync(model.Model, test.ToAsyncEnumerable(), CPU);

            Assert.True(test.Count > 50);
            Assert.True(evaluation.Overall.Model >= evaluation.Overall.LongerAnswer + 0.10,
                $"model {evaluation.Overall.Model:P1} vs longer answer {evaluation.Overall.LongerAnswer:P1}");
        }
        Assert.Equal(result.State.TotalSteps, result.State.Step);
        Assert.True(result.State.Curve.Count > 3);
    }

    [Fact]
    public void Long_pairs_keep_the_starts_of_the_question_and_of_each_answer()
    {
        var format = InputFormat.Bundled("gpt2");
        var encoder = new PairEncoder(format, 32, promptShare: 0.25);
        var separatorId = format.Separator.Single();
        var question = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"question{i}"));
        var (chosen, rejected) = (string.Join(' ', Enumerable.Range(0, 60).Select(i => $"good{i}")), string.Join(' ', Enumerable.Range(0, 60).Select(i => $"bad{i}")));

        var (cut, a, b) = encoder.EncodePair(question, chosen, rejected);
        var (skipped, _, _) = encoder.EncodePair(question, chosen, rejected, truncate: false);
        var (shortPair, c, _) = encoder.EncodePair("Why?", "Because.", "No idea.");
        var (same, _, _) = encoder.EncodePair(question, chosen + " ending one", chosen + " ending two");

        Assert.Equal(PairEncoder.Outcome.Truncated, cut);
        Assert.Equal(32, a.Length);
        var separator = Array.IndexOf(a, separatorId);
        Assert.Equal((int)(0.25 * 31), separator); // the question keeps its share of the budget...
        var tokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt2");
        Assert.Equal(tokenizer.EncodeToIds(question).Take(separator), a.Take(separator)); // ...from its start,
        Assert.Equal(tokenizer.EncodeToIds(chosen).Take(a.Length - separator - 1), a.Skip(separator + 1)); // and each answer its start
        Assert.Equal(tokenizer.EncodeToIds(rejected).Take(b.Length - separator - 1), b.Skip(separator + 1));
        Assert.Equal(PairEncoder.Outcome.AnswersTooLong, skipped);
        Assert.Equal(PairEncoder.Outcome.Kept, shortPair);
        Assert.Equal(tokenizer.EncodeToIds("Why?"), c.TakeWhile(id => id != separatorId));
        Assert.Equal(PairEncoder.Outcome.IdenticalAfterTruncation, same);
    }

    [Fact]
    public async Task Evaluation_counts_every_pair_of_the_split_and_says_how_many_were_truncated()
    {
        var config = Small with { MaxLength = 24, LongPairs = LongPairs.Skip };
        var encoder = new PairEncoder(InputFormat.Bundled(config.Tokenizer), config.MaxLength, config.PromptShare);
        var rows = (await DatasetReader.ReadAsync(export.Data, Split.Test).ToListAsync()).Count;
        var trainRows = (await DatasetReader.ReadAsync(export.Data, Split.Train).ToListAsync()).Count;

        var evaluation = await TrainingData.EncodeAsync(export.Data, Split.Test, null, encoder).ToListAsync();
        var training = await TrainingStream.PlanAsync(export.Data, config, encoder);

        Assert.Equal(rows, evaluation.Count);
        Assert.Contains(evaluation, p => p.Truncated);
        Assert.All(evaluation, p => Assert.True(p.Chosen.Length <= 24 && p.Rejected.Length <= 24));
        Assert.True(training.AnswersTooLong > 0);
        Assert.Equal(trainRows, training.Pairs + training.AnswersTooLong + training.IdenticalAfterTruncation);
        Assert.Equal(training.Pairs, Enumerable.Range(0, trainRows).Count(i => training.Trained[i]));
    }

    [Fact]
    public async Task The_training_stream_yields_every_planned_pair_once_an_epoch_in_a_seeded_order_through_a_small_buffer()
    {
        var config = Small with { ShuffleBuffer = 50 };
        var encoder = new PairEncoder(InputFormat.Bundled(config.Tokenizer), config.MaxLength, config.PromptShare);
        var plan = await TrainingStream.PlanAsync(export.Data, config, encoder);
        var inFileOrder = (await DatasetReader.ReadAsync(export.Data, Split.Train).ToListAsync()).Where((_, i) => plan.Trained[i]).ToList();

        var first = await TrainingStream.ShuffledAsync(export.Data, config, plan, epoch: 0).ToListAsync();
        var again = await TrainingStream.ShuffledAsync(export.Data, config, plan, epoch: 0).ToListAsync();
        var second = await TrainingStream.ShuffledAsync(export.Data, config, plan, epoch: 1).ToListAsync();

        Assert.True(plan.Pairs > 10 * config.ShuffleBuffer, $"{plan.Pairs} pairs: the buffer holds a small share of them");
        Assert.Equal(inFileOrder.Order(RowOrder.Instance), first.Order(RowOrder.Instance));
        Assert.Equal(inFileOrder.Order(RowOrder.Instance), second.Order(RowOrder.Instance));
        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
        Assert.NotEqual(inFileOrder, first);
    }

    private sealed class RowOrder : IComparer<DatasetRow>
    {
        public static readonly RowOrder Instance = new();
        public int Compare(DatasetRow? a, DatasetRow? b) =>
            string.CompareOrdinal(Key(a!), Key(b!));

        private static string Key(DatasetRow r) => FormattableString.Invariant($"{r.Domain}\u0001{r.PostId}\u0001{r.Chosen}\u0001{r.Rejected}\u0001{r.ScoreRatio:R}\u0001{r.Margin:R}");
    }

    [Fact]
    public async Task Pairs_whose_raw_score_ratio_is_below_one_are_kept_by_default()
    {
        // Stack Exchange's H4 rule prefers an accepted answer even with fewer votes: its raw-score ratio is below 1.
        var forum = new Forum("stackexchange", "beer");
        var at = DateTimeOffset.UnixEpoch;
        var pairs = Enumerable.Range(0, 6).Select(i => new PreferencePair(forum, $"q{i}", "Which beer?", null, null,
            new PairedAnswer($"a{i}", $"accepted answer {i}", "", 2, at), new PairedAnswer($"b{i}", $"popular answer {i}", "", 5, at),
            i % 2 == 0 ? 0.5 : 2.0, 1, Split.Train, i % 2 == 0)).ToList();
        var folder = _folder.File("data");
        await ExportFolder.WriteAsync(folder, "store", "shp", false, async partial =>
        {
            await ForumPrefs.Export.DatasetExporter.WriteFileAsync(Path.Combine(partial, "beer"), Split.Train, "beer_train", pairs, new ExportOptions(ExportFormat.Shp));
            await File.WriteAllTextAsync(Path.Combine(partial, "README.md"), "card");
            return 0;
        });
        var encoder = new PairEncoder(InputFormat.Bundled(Small.Tokenizer), Small.MaxLength);

        var byDefault = await TrainingStream.PlanAsync(folder, Small, encoder);
        var atLeastTwo = await TrainingStream.PlanAsync(folder, Small with { MinRatio = 2 }, encoder);

        Assert.Equal(6, byDefault.Pairs);
        Assert.Equal(0, byDefault.FilteredOut);
        Assert.Equal(3, atLeastTwo.Pairs);
        Assert.Equal(3, atLeastTwo.FilteredOut);
    }

    [Fact]
    public void The_loaded_model_gives_the_rewards_of_the_model_that_was_saved()
    {
        random.manual_seed(3);
        var encoder = new PairEncoder(InputFormat.Bundled(Small.Tokenizer), Small.MaxLength);
        var inputs = new List<(string, string)> { ("Why is the sky blue?", "Because of scattering, for example."), ("Why?", "idk lol"), ("How do magnets work?", "Spins line up.") };
        using var network = RewardNetwork.Scratch(Small);
        var trained = network.Model;
        using var optimizer = optim.AdamW(trained.parameters(), 1e-2);
        // A few steps away from the initial weights, so the saved weights are the trained ones and not a seed's.
        var initial = RewardScorer.Score(trained, encoder, inputs, CPU);
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            trained.train();
            var (ids, padding) = Pad([encoder.Encode("q", "a good answer"), encoder.Encode("q", "bad")]);
            var rewards = trained.forward(ids, padding);
            var loss = -nn.functional.logsigmoid(rewards[..1] - rewards[1..]).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        var expected = RewardScorer.Score(trained, encoder, inputs, CPU);
        ModelFolder.Save(_folder.File("saved"), Small, network, optimizer, new TrainingState(3, 3, []));

        var (loaded, loadedEncoder, _) = Trainer.Load(_folder.File("saved"), "cpu");
        using (loaded)
        {
            Assert.NotEqual(initial, expected);
            Assert.Equal(expected, RewardScorer.Score(loaded.Model, loadedEncoder, inputs, CPU));
        }
    }

    [Fact]
    public async Task A_killed_run_resumes_from_its_checkpoint_and_finishes()
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        string[] args = ["train", "--data", export.Data, "--out", "killed", "--layers", "1", "--width", "32", "--heads", "2", "--max-length", "160",
            "--batch", "16", "--checkpoint-every", "20", "--device", "cpu"];
        foreach (var arg in args.Prepend(Path.Combine(AppContext.BaseDirectory, "forumprefs.dll")))
            start.ArgumentList.Add(arg);
        using (var child = Process.Start(start)!)
        {
            var clock = Stopwatch.StartNew();
            while (!child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3) && ModelFolder.ReadState(_folder.File("killed")) is not { Step: >= 20 })
                await Task.Delay(50);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        var checkpoint = ModelFolder.ReadState(_folder.File("killed"));
        Assert.NotNull(checkpoint);
        Assert.True(checkpoint.Step < checkpoint.TotalSteps, "the run finished before it could be killed");

        var resumed = await Support.Cli.RunAsync(_folder.Path, [.. args, "--resume"]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resumed", resumed.Out);
        var final = ModelFolder.ReadState(_folder.File("killed"))!;
        Assert.Equal(final.TotalSteps, final.Step);
        Assert.Equal(checkpoint.Curve, final.Curve.Take(checkpoint.Curve.Count));
        Assert.True(File.Exists(_folder.File("killed/metrics.json")));
        Assert.True(File.Exists(_folder.File("killed/report.md")));
    }

    [Fact]
    public async Task Bad_data_and_mismatched_models_give_clear_errors()
    {
        Directory.CreateDirectory(_folder.File("odd/forum"));
        Duck.Query($"COPY (SELECT 'x' AS prompt, 1.0 AS score_ratio) TO '{Duck.Path(_folder.File("odd/forum/train.parquet"))}' (FORMAT parquet)");
        Directory.CreateDirectory(_folder.File("empty"));
        foreach (var handMade in new[] { "odd", "empty" })
            foreach (var file in new[] { "README.md", ForumPrefs.Datasets.ExportFolder.MarkerName })
                File.Copy(Path.Combine(export.Data, file), _folder.File($"{handMade}/{file}"));

        var missing = await Support.Cli.RunAsync(_folder.Path, "train", "--data", "odd", "--out", "m1");
        var empty = await Support.Cli.RunAsync(_folder.Path, "train", "--data", "empty", "--out", "m2");
        var filtered = await Support.Cli.RunAsync(_folder.Path, "train", "--data", export.Data, "--out", "m3", "--min-ratio", "1000000");
        var unknown = await Support.Cli.RunAsync(_folder.Path, "train", "--data", export.Data, "--out", "m4", "--forum", "nope");
        await Trainer.TrainAsync(Small with { MaxSteps = 2 }, export.Data, _folder.File("m5"), false, "cpu");
        var otherConfig = await Support.Cli.RunAsync(_folder.Path, "train", "--data", export.Data, "--out", "m5", "--resume", "--width", "48", "--heads", "2", "--layers", "1", "--max-length", "160");
        File.Copy(_folder.File("m5/model.bin"), _folder.File("m6.bin"));
        await Trainer.TrainAsync(Small with { MaxSteps = 2, Width = 64, Heads = 4 }, export.Data, _folder.File("m6"), false, "cpu");
        File.Copy(_folder.File("m6.bin"), _folder.File("m6/model.bin"), overwrite: true);
        var foreignWeights = await Support.Cli.RunAsync(_folder.Path, "eval", "--model", "m6", "--data", export.Data);

        Assert.Equal((1, true), (missing.ExitCode, missing.Error.Contains("missing column")));
        Assert.Equal((1, true), (empty.ExitCode, empty.Error.Contains("no train.parquet files")));
        Assert.Equal((1, true), (filtered.ExitCode, filtered.Error.Contains("no training pairs")));
        Assert.Equal((1, true), (unknown.ExitCode, unknown.Error.Contains("unknown forum 'nope'")));
        Assert.Equal((1, true), (otherConfig.ExitCode, otherConfig.Error.Contains("holds a model with")));
        Assert.Equal((1, true), (foreignWeights.ExitCode, foreignWeights.Error.Contains("do not fit its forumprefs.json")));
        foreach (var result in new[] { missing, empty, filtered, unknown, otherConfig, foreignWeights })
            Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Eval_and_score_run_from_the_command_line()
    {
        await Trainer.TrainAsync(Small with { MaxSteps = 10 }, export.Data, _folder.File("cli"), false, "cpu");

        var eval = await Support.Cli.RunAsync(_folder.Path, "eval", "--model", "cli", "--data", export.Data, "--split", "test");
        var score = await Support.Cli.RunAsync(_folder.Path, "score", "--model", "cli", "--question", "Why do magnets stick?", "--answer", "Because of aligned spins.", "--answer", "idk lol");

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("test: accuracy", eval.Out);
        Assert.Contains("\"longer answer wins\"", eval.Out);
        Assert.Contains("test: length-balanced accuracy", eval.Out);
        Assert.Contains("  length ratio ", eval.Out);
        Assert.True(File.Exists(_folder.File("cli/eval-test/metrics.json")));
        Assert.True(File.Exists(_folder.File("cli/eval-test/accuracy_by_length_test.png")));
        Assert.True(score.ExitCode == 0, score.Error);
        Assert.Equal(2, score.Out.Trim().Split('\n').Length);

        // A JSONL of 150 rows (over two batches) streams out in its order, each row's reward the one it gets alone.
        var answers = Enumerable.Range(0, 150).Select(i => i % 2 == 0 ? "Because of aligned spins." : $"idk lol {i}").ToList();
        File.WriteAllLines(_folder.File("rows.jsonl"), answers.Select(a => System.Text.Json.JsonSerializer.Serialize(new { question = "Why do magnets stick?", answer = a })));
        var streamed = await Support.Cli.RunAsync(_folder.Path, "score", "--model", "cli", "--input", "rows.jsonl");
        File.WriteAllText(_folder.File("bad.jsonl"), "{\"question\": \"q\", \"answer\": \"a\"}\n{\"question\": 3}\n");
        var bad = await Support.Cli.RunAsync(_folder.Path, "score", "--model", "cli", "--input", "bad.jsonl");

        Assert.True(streamed.ExitCode == 0, streamed.Error);
        var lines = streamed.Out.Trim().Split('\n');
        Assert.Equal(150, lines.Length);
        static double Reward(string line) => double.Parse(line.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Reward(score.Out.Trim().Split('\n')[0]), Reward(lines[0]), 3);
        Assert.EndsWith("idk lol 149", lines[^1]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("bad.jsonl line 2: needs \"question\" and \"answer\" text fields", bad.Error);

        // Other people's preference sets: real OpenAssistant pairs in RewardBench's layout, and a file of no layout.
        var pairs = Datasets.PreferenceFileTests.RealPairs();
        File.WriteAllLines(_folder.File("rewardbench.jsonl"), pairs.Select((p, i) => System.Text.Json.JsonSerializer.Serialize(
            new { prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected, subset = "oasst", id = i })));
        File.WriteAllText(_folder.File("other.jsonl"), "{\"question\": \"q\", \"answer\": \"a\"}\n");
        var external = await Support.Cli.RunAsync(_folder.Path, "eval", "--model", "cli", "--data", "rewardbench.jsonl");
        var unknown = await Support.Cli.RunAsync(_folder.Path, "eval", "--model", "cli", "--data", "other.jsonl");

        Assert.True(external.ExitCode == 0, external.Error);
        Assert.Contains($"rewardbench.jsonl: read as rewardbench, {pairs.Count} pairs", external.Error);
        Assert.Contains($"rewardbench: accuracy", external.Out);
        Assert.Contains("rewardbench: length-balanced accuracy", external.Out);
        Assert.True(File.Exists(_folder.File("cli/eval-rewardbench/metrics.json")));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("fits no preference layout", unknown.Error);
        Assert.Single(unknown.Error.Trim().Split('\n'));
    }

    private static (Tensor, Tensor) Pad(IReadOnlyList<int[]> inputs)
    {
        var length = inputs.Max(i => i.Length);
        var ids = inputs.SelectMany(i => i.Select(t => (long)t).Concat(Enumerable.Repeat(0L, length - i.Length))).ToArray();
        var padding = inputs.SelectMany(i => Enumerable.Range(0, length).Select(p => p >= i.Length)).ToArray();
        return (tensor(ids, [inputs.Count, length]), tensor(padding, [inputs.Count, length]));
    }

    [Fact]
    public async Task A_resumed_run_ends_exactly_where_an_uninterrupted_one_does()
    {
        var config = Small with { MaxSteps = 30, CheckpointEvery = 10 };
        await Trainer.TrainAsync(config, export.Data, _folder.File("whole"), false, "cpu");
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Trainer.TrainAsync(config, export.Data, _folder.File("split"), false, "cpu",
            p => { if (p.Step >= 20) stop.Cancel(); }, stop.Token));
        Assert.Equal(20, ModelFolder.ReadState(_folder.File("split"))!.Step);

        var resumed = await Trainer.TrainAsync(config, export.Data, _folder.File("split"), true, "cpu");

        Assert.True(resumed.Resumed);
        var (whole, _, _) = Trainer.Load(_folder.File("whole"), "cpu");
        var (split, _, _) = Trainer.Load(_folder.File("split"), "cpu");
        using (whole)
        using (split)
        {
            var a = whole.Model.state_dict();
            var b = split.Model.state_dict();
            Assert.All(a.Keys, key => Assert.True(a[key].equal(b[key]).all().item<bool>(), $"{key} differs after resume"));
        }
        Assert.Equal(ModelFolder.ReadState(_folder.File("whole"))!.Curve, ModelFolder.ReadState(_folder.File("split"))!.Curve);
    }
}

public sealed class IntervalTests
{
    [Theory]
    [InlineData(0.5, 100, 0.4038, 0.5962)]
    [InlineData(1.0, 10, 0.7225, 1.0)]
    [InlineData(0.0, 10, 0.0, 0.2775)]
    public void Wilson_intervals_match_the_published_values(double p, long n, double low, double high)
    {
        var (l, h) = Interval95.Wilson(p, n);

        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }
}
