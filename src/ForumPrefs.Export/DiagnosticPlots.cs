using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ScottPlot;

namespace ForumPrefs.Export;

/// <summary>PNG plots for the card: score-ratio histogram, label accuracy by score ratio, pairs per post.</summary>
public static class DiagnosticPlots
{
    public static IReadOnlyList<string> Write(string outFolder, IReadOnlyList<ForumExport> exports)
    {
        var folder = Path.Combine(outFolder, "plots");
        Directory.CreateDirectory(folder);
        var written = new List<string>
        {
            Bars(folder, "score_ratio_histogram.png", "Pairs per score-ratio bin", "score ratio (preferred / other)", "pairs",
                RatioBins.LowerBounds.Select((_, bin) => RatioBins.Label(bin)).ToArray(),
                exports.Select(e => (e.Folder, e.Diagnostics.RatioHistogram.Select(n => (double)n).ToArray())).ToList()),
            Bars(folder, "pairs_per_post.png", "Posts by number of pairs", "pairs per post", "posts",
                exports.FirstOrDefault()?.Diagnostics.PairsPerPostHistogram().Select(h => h.Range).ToArray() ?? [],
                exports.Select(e => (e.Folder, e.Diagnostics.PairsPerPostHistogram().Select(h => (double)h.Posts).ToArray())).ToList()),
        };
        if (exports.Any(e => e.Diagnostics.LabelAccuracy is not null))
            written.Add(AccuracyCurve(folder, exports));
        return written.Select(p => Path.GetRelativePath(outFolder, p).Replace('\\', '/')).ToList();
    }

    private static string Bars(string folder, string file, string title, string xLabel, string yLabel, string[] categories,
        List<(string Name, double[] Values)> series)
    {
        var plot = new Plot();
        var width = 0.8 / Math.Max(series.Count, 1);
        for (var s = 0; s < series.Count; s++)
        {
            var bars = series[s].Values.Select((value, i) => new Bar
            {
                Position = i - 0.4 + width * (s + 0.5),
                Value = value,
                Size = width,
                FillColor = plot.Add.Palette.GetColor(s),
            }).ToArray();
            plot.Add.Bars(bars).LegendText = series[s].Name;
        }
        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        var path = Path.Combine(folder, file);
        plot.SavePng(path, 900, 500);
        return path;
    }

    private static string AccuracyCurve(string folder, IReadOnlyList<ForumExport> exports)
    {
        var plot = new Plot();
        var xs = RatioBins.LowerBounds.Select((_, bin) => (double)bin).ToArray();
        foreach (var e in exports.Where(e => e.Diagnostics.LabelAccuracy is not null))
        {
            var points = xs.Select(x => (X: x, Y: e.Diagnostics.LabelAccuracyInBin((int)x))).Where(p => p.Y is not null).ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value * 100).ToArray());
            line.LegendText = $"{e.Folder}: label agrees with hidden quality";
        }
        var baseline = plot.Add.HorizontalLine(50);
        baseline.LinePattern = LinePattern.Dashed;
        baseline.LegendText = "chance";
        plot.Axes.Bottom.SetTicks(xs, RatioBins.LowerBounds.Select((_, bin) => RatioBins.Label(bin)).ToArray());
        plot.Axes.SetLimitsY(0, 100);
        plot.Title("Label accuracy by score ratio (simulated forums)");
        plot.XLabel("score ratio (preferred / other)");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        var path = Path.Combine(folder, "label_accuracy_by_ratio.png");
        plot.SavePng(path, 900, 500);
        return path;
    }
}
