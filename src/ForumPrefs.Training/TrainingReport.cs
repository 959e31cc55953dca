using ScottPlot;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Training;

/// <summary>Writes metrics.json, PNG plots (training curves, accuracy by score ratio next to the length baseline) and report.md.</summary>
public static class TrainingReport
{
    public static void Write(string folder, TrainConfig config, TrainingState state, IReadOnlyDictionary<string, EvalResult> evaluations, TrainResult? trained = null)
    {
        Directory.CreateDirectory(folder);
        var metrics = new
        {
            config,
            steps = state.Step,
            training_pairs = trained?.Train.Pairs,
            truncated = trained?.Train.Truncated,
            skipped = trained?.Train is not { } train ? null : new { filtered_out = train.FilteredOut, answers_too_long = train.AnswersTooLong, identical_after_truncation = train.IdenticalAfterTruncation },
            pairs_per_second = trained is null ? (double?)null : Math.Round(trained.PairsPerSecond, 2),
            peak_memory_mb = trained is null ? (long?)null : trained.PeakMemoryBytes / 1048576,
            frozen_cache = trained?.FrozenCache is not { } cache ? null
                : new { frozen_layers = cache.FrozenLayers, computed = cache.Computed, reused = cache.Reused, not_kept = cache.NotKept, megabytes = cache.Bytes / 1048576 },
            curve = state.Curve,
            evaluation = evaluations.ToDictionary(e => e.Key, e => new
            {
                pairs = e.Value.Overall.Pairs,
                truncated = e.Value.Truncated,
                accuracy = Number(e.Value.Overall.Model),
                accuracy_95ci = Range(e.Value.Overall.ModelInterval),
                longer_answer_baseline = Number(e.Value.Overall.LongerAnswer),
                longer_answer_95ci = Range(e.Value.Overall.LongerAnswerInterval),
                per_forum = e.Value.PerForum.ToDictionary(f => f.Key, f => new { pairs = f.Value.Pairs, accuracy = Number(f.Value.Model), longer_answer_baseline = Number(f.Value.LongerAnswer) }),
                per_ratio_bin = e.Value.PerRatioBin.Select(b => new { bin = b.Bin, pairs = b.Accuracy.Pairs, accuracy = Number(b.Accuracy.Model), longer_answer_baseline = Number(b.Accuracy.LongerAnswer) }),
                random_baseline = 0.5,
                random_95ci = Range(e.Value.Overall.RandomInterval),
                length_control = LengthMetrics(e.Value.Length),
            }),
        };
        File.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, Core.JsonDefaults.SnakeCaseIndented));

        if (state.Curve.Count > 0)
            Curves(Path.Combine(folder, "training_curves.png"), state.Curve);
        foreach (var (split, result) in evaluations)
        {
            RatioCurve(Path.Combine(folder, $"accuracy_by_ratio_{split}.png"), split, result);
            LengthCurve(Path.Combine(folder, $"accuracy_by_length_{split}.png"), split, result.Length);
        }

        var report = new StringBuilder();
        report.AppendLine("# Reward model report").AppendLine();
        report.AppendLine($"Architecture: {config.Architecture}; {state.Step} steps of batch {config.BatchSize}{(config.GradientAccumulation > 1 ? $" × {config.GradientAccumulation} accumulated" : "")}, learning rate {config.LearningRate}.").AppendLine();
        report.AppendLine("Every pair of each split is evaluated; pairs longer than the model's input are truncated (the question's and each answer's start kept).").AppendLine();
        report.AppendLine("Intervals are 95 % Wilson score intervals over the pairs of the split.").AppendLine();
        report.AppendLine("Length-balanced accuracy is the mean of the accuracy on pairs whose preferred answer is the longer one and on those " +
            "whose preferred answer is the shorter one: \"the longer answer wins\" scores 50 % on it, so only what a model learned besides length lifts it above.").AppendLine();
        report.AppendLine("| split | pairs | truncated | accuracy | length-balanced | \"longer answer wins\" | random |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (split, result) in evaluations)
            report.AppendLine($"| {split} | {result.Overall.Pairs:N0} | {result.Truncated:N0} | {WithInterval(result.Overall.Model, result.Overall.ModelInterval)} | " +
                $"{WithInterval(result.Length.Balanced, result.Length.BalancedInterval)} | " +
                $"{WithInterval(result.Overall.LongerAnswer, result.Overall.LongerAnswerInterval)} | {WithInterval(0.5, result.Overall.RandomInterval)} |");
        foreach (var (split, result) in evaluations)
        {
            report.AppendLine().AppendLine($"## {split}").AppendLine().AppendLine("| forum | pairs | accuracy | longer answer |").AppendLine("|---|---|---|---|");
            foreach (var (forum, accuracy) in result.PerForum)
                report.AppendLine($"| {forum} | {accuracy.Pairs:N0} | {Percent(accuracy.Model)} | {Percent(accuracy.LongerAnswer)} |");
            report.AppendLine().AppendLine("| score ratio | pairs | accuracy | longer answer |").AppendLine("|---|---|---|---|");
            foreach (var (bin, accuracy) in result.PerRatioBin)
                report.AppendLine($"| {bin} | {accuracy.Pairs:N0} | {Percent(accuracy.Model)} | {Percent(accuracy.LongerAnswer)} |");
            report.AppendLine().AppendLine($"![accuracy by score ratio](accuracy_by_ratio_{split}.png)");
            var l = result.Length;
            report.AppendLine().AppendLine($"Length: the preferred answer is the longer one in {Percent(l.PreferredLongerShare)} of the pairs of unequal length " +
                $"({l.EqualLength:N0} pairs of equal length are in neither side).").AppendLine();
            report.AppendLine("| pairs whose preferred answer is | pairs | accuracy | \"longer answer wins\" |").AppendLine("|---|---|---|---|");
            report.AppendLine($"| the longer one | {l.PreferredLonger.Pairs:N0} | {WithInterval(l.PreferredLonger.Model, l.PreferredLonger.ModelInterval)} | 100 % |");
            report.AppendLine($"| the shorter one | {l.PreferredShorter.Pairs:N0} | {WithInterval(l.PreferredShorter.Model, l.PreferredShorter.ModelInterval)} | 0 % |");
            report.AppendLine($"| length-balanced (mean) | | {WithInterval(l.Balanced, l.BalancedInterval)} | 50 % |");
            report.AppendLine().AppendLine("| preferred length / other length | pairs | accuracy | longer answer |").AppendLine("|---|---|---|---|");
            foreach (var (bin, accuracy) in l.PerLengthRatioBin)
                report.AppendLine($"| {bin} | {accuracy.Pairs:N0} | {WithInterval(accuracy.Model, accuracy.ModelInterval)} | {Percent(accuracy.LongerAnswer)} |");
            report.AppendLine().AppendLine($"![accuracy by length ratio](accuracy_by_length_{split}.png)");
        }
        if (state.Curve.Count > 0)
            report.AppendLine().AppendLine("![training curves](training_curves.png)");
        File.WriteAllText(Path.Combine(folder, "report.md"), report.ToString());
    }

    private static object LengthMetrics(LengthControl l) => new
    {
        length_balanced_accuracy = Number(l.Balanced),
        length_balanced_95ci = Range(l.BalancedInterval),
        preferred_longer = new { pairs = l.PreferredLonger.Pairs, accuracy = Number(l.PreferredLonger.Model), accuracy_95ci = Range(l.PreferredLonger.ModelInterval) },
        preferred_shorter = new { pairs = l.PreferredShorter.Pairs, accuracy = Number(l.PreferredShorter.Model), accuracy_95ci = Range(l.PreferredShorter.ModelInterval) },
        equal_length_pairs = l.EqualLength,
        preferred_longer_share = Number(l.PreferredLongerShare),
        per_length_ratio_bin = l.PerLengthRatioBin.Select(b => new
        {
            bin = b.Bin, pairs = b.Accuracy.Pairs, accuracy = Number(b.Accuracy.Model), accuracy_95ci = Range(b.Accuracy.ModelInterval),
            longer_answer_baseline = Number(b.Accuracy.LongerAnswer),
        }),
    };

    private static double? Number(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);

    private static double?[]? Range((double Low, double High) interval) => double.IsNaN(interval.Low) ? null : [Number(interval.Low), Number(interval.High)];

    /// <summary>"61.9 % (54.1–69.2)".</summary>
    private static string WithInterval(double value, (double Low, double High) interval) =>
        double.IsNaN(value) ? "–" : $"{Percent(value)} ({Interval(interval)})";

    /// <summary>A 95 % interval in percent, "54.1–69.2"; "–" when there were no pairs.</summary>
    public static string Interval((double Low, double High) interval) => double.IsNaN(interval.Low) ? "–"
        : $"{(interval.Low * 100).ToString("F1", CultureInfo.InvariantCulture)}–{(interval.High * 100).ToString("F1", CultureInfo.InvariantCulture)}";

    public static string Percent(double value) => double.IsNaN(value) ? "–" : (value * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static void Curves(string path, IReadOnlyList<CurvePoint> curve)
    {
        var plot = new Plot();
        var steps = curve.Select(p => (double)p.Step).ToArray();
        var loss = plot.Add.Scatter(steps, curve.Select(p => p.Loss).ToArray());
        loss.LegendText = "loss (mean over 10 steps)";
        var accuracy = plot.Add.Scatter(steps, curve.Select(p => p.Accuracy).ToArray());
        accuracy.LegendText = "training accuracy";
        plot.Title("Training");
        plot.XLabel("step");
        plot.ShowLegend();
        plot.SavePng(path, 900, 450);
    }

    private static void RatioCurve(string path, string split, EvalResult result) =>
        BinCurve(path, result.PerRatioBin, $"Accuracy by score ratio ({split})", "score ratio");

    private static void LengthCurve(string path, string split, LengthControl length) =>
        BinCurve(path, length.PerLengthRatioBin, $"Accuracy by length ratio ({split}; balanced {Percent(length.Balanced)})",
            "preferred answer's length / the other's", chance: true);

    /// <summary>The model and "the longer answer wins" per bin; with <paramref name="chance"/>, the 50 % line too.</summary>
    private static void BinCurve(string path, IReadOnlyList<(string Bin, Accuracy Accuracy)> perBin, string title, string xLabel, bool chance = false)
    {
        var plot = new Plot();
        var bins = perBin.Select((b, i) => (Index: (double)i, b.Bin, b.Accuracy)).Where(b => b.Accuracy.Pairs > 0).ToList();
        var model = plot.Add.Scatter(bins.Select(b => b.Index).ToArray(), bins.Select(b => b.Accuracy.Model * 100).ToArray());
        model.LegendText = "reward model";
        var baseline = plot.Add.Scatter(bins.Select(b => b.Index).ToArray(), bins.Select(b => b.Accuracy.LongerAnswer * 100).ToArray());
        baseline.LegendText = "longer answer wins";
        baseline.LinePattern = LinePattern.Dashed;
        plot.Axes.Bottom.SetTicks(bins.Select(b => b.Index).ToArray(), bins.Select(b => b.Bin).ToArray());
        if (chance)
        {
            var coin = plot.Add.HorizontalLine(50);
            coin.LegendText = "random (50 %)";
            coin.LinePattern = LinePattern.Dotted;
        }
        plot.Axes.SetLimitsY(0, 100);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 450);
    }
}
