using ForumPrefs.Datasets;
using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Export;
using ForumPrefs.Training;

namespace ForumPrefs.Cli.Jobs;

/// <summary>Trains, then evaluates on validation and test (where the export has them) and writes the report.</summary>
internal static class TrainJob
{
    public sealed record Result(TrainResult Train, IReadOnlyDictionary<string, EvalResult> Evaluations, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(CliIO io, TrainConfig config, string data, string modelFolder, bool resume, string device,
        CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TrainResult? trained = null;
        var detail = "";
        long total = 0;
        await ProgressDisplay.RunAsync(io, "train", 0, "steps", async progress =>
        {
            trained = await Trainer.TrainAsync(config, data, modelFolder, resume, device, p =>
            {
                detail = $"loss {p.Loss:F3}, accuracy {p.Accuracy:P1}, {p.PairsPerSecond:N0} pairs/s";
                total = p.TotalSteps;
                progress.Report(p.Step);
            }, cancellationToken);
        }, () => detail, () => total);
        var evaluations = await EvaluateAsync(modelFolder, data, config.Forum, device, [Split.Validation, Split.Test], cancellationToken);
        TrainingReport.Write(modelFolder, trained!.Config, trained.State, evaluations, trained);
        return new Result(trained, evaluations, clock.Elapsed);
    }

    /// <param name="notice">Told how each external file was read (its layout, rows skipped).</param>
    public static async Task<IReadOnlyDictionary<string, EvalResult>> EvaluateAsync(string modelFolder, string data, string? forum, string device,
        IReadOnlyList<Split> splits, CancellationToken cancellationToken, Action<string>? notice = null)
    {
        var (model, encoder, _) = Trainer.Load(modelFolder, device);
        using (model)
        {
            var results = new Dictionary<string, EvalResult>();
            if (PreferenceFile.Files(data) is { } files)
            {
                // Another tool's preference files (TRL, RewardBench, SHP): each file is evaluated as it is, splits aside.
                foreach (var file in files)
                {
                    var reader = new PreferenceFile();
                    var rows = reader.ReadAsync(file, cancellationToken);
                    var result = await Evaluator.EvaluateAsync(model.Model, TrainingData.EncodeRowsAsync(rows, encoder, cancellationToken),
                        DeviceChoice.Resolve(device), cancellationToken: cancellationToken);
                    notice?.Invoke($"{Path.GetFileName(file)}: read as {reader.Layout.ToString()!.ToLowerInvariant()}, {result.Overall.Pairs:N0} pairs" +
                        (reader.Skipped > 0 ? $", {reader.Skipped:N0} rows that do not fit its layout skipped" : ""));
                    if (result.Overall.Pairs > 0)
                        results[SafeName(Path.GetFileNameWithoutExtension(file))] = result;
                }
                return results;
            }
            foreach (var split in splits)
            {
                EvalResult result;
                try
                {
                    result = await Evaluator.EvaluateAsync(model.Model, TrainingData.EncodeAsync(data, split, forum, encoder, cancellationToken),
                        DeviceChoice.Resolve(device), cancellationToken: cancellationToken);
                }
                catch (DatasetException) when (splits.Count > 1)
                {
                    continue; // an export may lack a split; evaluate the others
                }
                if (result.Overall.Pairs > 0)
                    results[split.Name()] = result;
            }
            return results;
        }
    }

    /// <summary>A file's name as a result's name (it names plot files): letters, digits, '.', '-' and '_' only.</summary>
    private static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').Take(100).ToArray());
        return safe.Trim('.').Length > 0 ? safe : "external";
    }
}
