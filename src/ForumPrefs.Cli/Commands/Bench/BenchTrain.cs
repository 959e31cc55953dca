using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Bench;

/// <summary><c>forumprefs bench train</c>: training steps/s next to pytorch.</summary>
internal static class BenchTrain
{
    public static Command Create(CliIO io)
    {
        var steps = new Option<int>("--steps") { Description = "Timed training steps (after 3 warm-up steps)", DefaultValueFactory = _ => 30 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for both runtimes", DefaultValueFactory = _ => Environment.ProcessorCount };
        var format = CommonOptions.Format();
        var command = new Command("train", "Reward-model training steps/s on CPU next to the same model and batch in PyTorch") { steps, threads, format };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(steps);
            var t = parse.GetValue(threads);
            var config = ForumPrefs.Training.TrainingBenchmark.Config;
            io.Error.WriteLine($"bench train: {config.Architecture}, batch {config.BatchSize} pairs ({config.BatchSize * 2} sequences of {config.MaxLength} tokens), AdamW, {t} threads, {n} steps");
            var rows = new List<ForumPrefs.Training.TrainingBenchmark.Row> { ForumPrefs.Training.TrainingBenchmark.TorchSharp(n, t) };
            if (ForumPrefs.Training.TrainingBenchmark.PyTorch(n, t, out var problem) is { } reference)
                rows.Add(reference);
            else
                io.Error.WriteLine($"no PyTorch reference: {problem}");
            var baseline = rows.Count > 1 ? rows[1].StepsPerSecond : double.NaN;
            ResultWriter.Write(io.Out, new QueryResult(["runtime", "steps", "seconds", "steps_per_s", "pairs_per_s", "ratio_to_pytorch"],
                rows.Select(r => new object?[] { r.Runtime, r.Steps, Math.Round(r.Seconds, 2), Math.Round(r.StepsPerSecond, 2),
                    Math.Round(r.StepsPerSecond * config.BatchSize, 1), double.IsNaN(baseline) ? null : Math.Round(r.StepsPerSecond / baseline, 2) }).ToList()),
                parse.GetValue(format));
            return ExitCodes.Done;
        });
        return command;
    }
}
