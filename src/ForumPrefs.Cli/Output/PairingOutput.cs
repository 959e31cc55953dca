using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Store;
using System.Globalization;
using System.Text.Json;

namespace ForumPrefs.Cli.Output;

/// <summary>Prints what <c>forumprefs pairs</c> built: a summary per forum, the rejection report and the label-accuracy curve.</summary>
internal static class PairingOutput
{
    public static void Write(TextWriter writer, IReadOnlyList<(string Policy, PairingJob.Result Result)> results, ResultFormat format)
    {
        if (format == ResultFormat.Json)
        {
            var json = results.Select(r => new
            {
                forum = r.Result.Forum.ToString(),
                policy = r.Policy,
                pairs = r.Result.Pairs,
                splits = new { train = r.Result.Diagnostics.SplitCounts[0], validation = r.Result.Diagnostics.SplitCounts[1], test = r.Result.Diagnostics.SplitCounts[2] },
                report = r.Result.Report,
                diagnostics = Diagnostics(r.Result.Diagnostics),
            });
            writer.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions(PairingJob.Json) { WriteIndented = true }));
            return;
        }

        ResultWriter.Write(writer, new QueryResult(
            ["forum", "policy", "posts_kept", "comments_kept", "pairs", "train", "validation", "test", "labels_1", "longer_wins", "label_accuracy"],
            results.Select(r =>
            {
                var (report, d) = (r.Result.Report, r.Result.Diagnostics);
                return new object?[]
                {
                    r.Result.Forum.ToString(), r.Policy, $"{report.PostsKept}/{report.PostsSeen}", $"{report.CommentsKept}/{report.CommentsSeen}",
                    r.Result.Pairs, d.SplitCounts[0], d.SplitCounts[1], d.SplitCounts[2], Percent(d.LabelOneShare),
                    Percent(d.LengthBaselineAccuracy), d.LabelAccuracy is { } a ? Percent(a) : "",
                };
            }).ToList()), format);
        if (format == ResultFormat.Csv)
            return;

        writer.WriteLine("rejection report (each item counted under the first rule that removed it):");
        ResultWriter.WriteTable(writer, new QueryResult(["forum", "level", "rule", "removed"],
            results.SelectMany(r => r.Result.Report.Rules.Select(rule => new object?[]
                { r.Result.Forum.ToString(), rule.Level.ToString().ToLowerInvariant(), rule.Rule, rule.Removed })).ToList()));
        if (results.Any(r => r.Result.Report.Noted.Count > 0))
        {
            writer.WriteLine("counted, not removed:");
            ResultWriter.WriteTable(writer, new QueryResult(["forum", "what", "count"],
                results.SelectMany(r => r.Result.Report.Noted.OrderBy(n => n.Key, StringComparer.Ordinal)
                    .Select(n => new object?[] { r.Result.Forum.ToString(), n.Key, n.Value })).ToList()));
        }

        var simulated = results.Where(r => r.Result.Diagnostics.LabelAccuracy is not null).ToList();
        if (simulated.Count == 0)
            return;
        writer.WriteLine("label accuracy against the hidden quality, by vote margin (the policy's own: final scores for shp, window votes for common-window):");
        ResultWriter.WriteTable(writer, new QueryResult(["forum", "policy", .. MarginBins.LowerBounds.Select((_, bin) => MarginBins.Label(bin))],
            simulated.Select(r => new object?[] { r.Result.Forum.ToString(), r.Policy }
                .Concat(MarginBins.LowerBounds.Select((_, bin) => (object?)(r.Result.Diagnostics.LabelAccuracyInMarginBin(bin) is { } a
                    ? $"{Percent(a)} ({r.Result.Diagnostics.TruthPairsByMargin[bin]})" : "")))
                .ToArray()).ToList()));
        writer.WriteLine("label accuracy against the hidden quality, by score ratio:");
        ResultWriter.WriteTable(writer, new QueryResult(["forum", .. RatioBins.LowerBounds.Select((_, bin) => RatioBins.Label(bin))],
            simulated.Select(r => new object?[] { r.Result.Forum.ToString() }
                .Concat(RatioBins.LowerBounds.Select((_, bin) => (object?)(r.Result.Diagnostics.LabelAccuracyInBin(bin) is { } a
                    ? $"{Percent(a)} ({r.Result.Diagnostics.TruthPairsByBin[bin]})" : "")))
                .ToArray()).ToList()));
    }

    /// <summary>How the common-window pairs relate to another policy's pairs of the same forum.</summary>
    public static void WriteComparisons(TextWriter writer, IReadOnlyList<PairComparison> comparisons)
    {
        foreach (var c in comparisons)
            writer.WriteLine($"{c.Forum}: {c.PolicyB} built {c.PairsB:N0} pairs, {c.PolicyA} {c.PairsA:N0}; {c.InBoth:N0} answer pairs in both, " +
                $"preferring the same answer in {(c.Agreement is { } a ? Percent(a) : "–")}; {c.OnlyB:N0} pairs only {c.PolicyB} has");
    }

    private static object Diagnostics(PairDiagnostics d) => new
    {
        posts = d.Posts,
        labels_one_share = Finite(d.LabelOneShare),
        mean_preferred_length = Finite(d.MeanPreferredLength),
        mean_other_length = Finite(d.MeanOtherLength),
        longer_answer_wins = Finite(d.LengthBaselineAccuracy),
        label_accuracy = Finite(d.LabelAccuracy),
        ratio_bins = RatioBins.LowerBounds.Select((lower, bin) => new
        {
            bin = RatioBins.Label(bin), lower, pairs = d.RatioHistogram[bin], label_accuracy = Finite(d.LabelAccuracyInBin(bin)),
        }),
        margin_bins = MarginBins.LowerBounds.Select((lower, bin) => new
        {
            bin = MarginBins.Label(bin), lower, pairs = d.MarginHistogram[bin], label_accuracy = Finite(d.LabelAccuracyInMarginBin(bin)),
        }),
        pairs_per_post = d.PairsPerPostHistogram().Select(h => new { range = h.Range, posts = h.Posts }),
    };

    /// <summary>JSON has no NaN: a figure of no pairs (a forum every rule emptied) is null.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string Percent(double value) =>
        double.IsNaN(value) ? "" : (value * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
