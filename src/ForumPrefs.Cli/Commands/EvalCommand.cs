using ForumPrefs.Cli.Output;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Core;
using ForumPrefs.Training;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs eval</c>: rerun a saved model's evaluation on a split.</summary>
internal sealed class EvalCommand : Command
{
    public EvalCommand(CliIO io) : base("eval", "Evaluate a saved reward model on a split, next to the length baseline")
    {
        var model = new Option<string>("--model") { Description = "Model folder", HelpName = "FOLDER", Required = true };
        var data = new Option<string>("--data")
        {
            Description = "An exported dataset folder, or any preference file (or folder of them): TRL (standard or conversational), " +
                "RewardBench or SHP columns, JSONL or Parquet; --split and --forum apply to exports only",
            HelpName = "FOLDER|FILE", Required = true,
        };
        var split = new Option<string>("--split") { Description = "train, validation or test", DefaultValueFactory = _ => "test" };
        var forum = new Option<string?>("--forum") { Description = "Only this forum", HelpName = "NAME" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        Options.Add(model);
        Options.Add(data);
        Options.Add(split);
        Options.Add(forum);
        Options.Add(device);
        SetAction(async (parse, cancellationToken) =>
        {
            var which = parse.GetValue(split) switch
            {
                "train" => Split.Train,
                "validation" => Split.Validation,
                "test" => Split.Test,
                var other => throw new UsageException($"--split must be train, validation or test, not '{other}'"),
            };
            var folder = io.Resolve(parse.GetValue(model)!);
            var dataPath = io.Resolve(parse.GetValue(data)!);
            var external = ForumPrefs.Datasets.PreferenceFile.Files(dataPath) is not null;
            var results = await TrainJob.EvaluateAsync(folder, dataPath, parse.GetValue(forum), parse.GetValue(device)!, [which], cancellationToken,
                io.Error.WriteLine);
            if (results.Count == 0)
                throw new TrainingException(external ? $"no pairs to evaluate in '{dataPath}'" : $"no {which.Name()} pairs to evaluate");
            TrainingOutput.Print(io, results);
            foreach (var (name, result) in results)
            {
                foreach (var (bin, accuracy) in result.PerRatioBin.Where(b => b.Accuracy.Pairs > 0))
                    io.Out.WriteLine($"  score ratio {bin}: {TrainingReport.Percent(accuracy.Model)} (longer answer {TrainingReport.Percent(accuracy.LongerAnswer)}, {accuracy.Pairs:N0} pairs)");
                foreach (var (bin, accuracy) in result.Length.PerLengthRatioBin.Where(b => b.Accuracy.Pairs > 0))
                    io.Out.WriteLine($"  length ratio {bin}: {TrainingReport.Percent(accuracy.Model)} (longer answer {TrainingReport.Percent(accuracy.LongerAnswer)}, {accuracy.Pairs:N0} pairs)");
            }
            var evalFolder = Path.Combine(folder, external ? $"eval-{string.Join('-', results.Keys)}" : $"eval-{which.Name()}");
            TrainingReport.Write(evalFolder, ModelFolder.ReadConfig(folder), ModelFolder.ReadState(folder) ?? new TrainingState(0, 0, []), results);
            io.Out.WriteLine($"metrics.json, report.md and plots: {evalFolder}");
            return ExitCodes.Done;
        });
    }
}
