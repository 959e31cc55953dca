using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Store;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Export;

/// <summary>
/// The dataset card README.md: a Hugging Face YAML header (configs and data_files per split, so
/// load_dataset and the hub viewer work), then counts, the policy and its options, the rejection report and the
/// diagnostics with their plots.
/// </summary>
public static class DatasetCard
{
    public static string Write(string outFolder, IReadOnlyList<ForumExport> exports, ExportOptions options, IReadOnlyList<string> plots,
        IReadOnlyList<PairComparison>? comparisons = null)
    {
        var card = new StringBuilder();
        WriteHeader(card, exports, options);
        card.AppendLine("# ForumPrefs preference dataset").AppendLine();
        card.AppendLine($"Built by ForumPrefs from community votes, SHP-style: a later answer that still out-scores an earlier one was preferred. Layout: **{options.Format.ToString().ToLowerInvariant()}**.").AppendLine();
        card.AppendLine("```python").AppendLine("from datasets import load_dataset")
            .AppendLine($"ds = load_dataset(\"{(options.Format == ExportFormat.Jsonl ? "json" : "parquet")}\", data_files={{\"train\": \"{SplitGlob(options, Split.Train)}\", \"test\": \"{SplitGlob(options, Split.Test)}\"}})")
            .AppendLine("```").AppendLine();

        card.AppendLine("## Pairs per forum and split").AppendLine();
        card.AppendLine("| forum | source | policy | train | validation | test | total | skipped (deleted since built) |");
        card.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var e in exports)
            card.AppendLine($"| {e.Folder} | {Cell(e.Run.Forum.Source)} | {e.Run.Policy} | {e.Rows[Split.Train]:N0} | {e.Rows[Split.Validation]:N0} | {e.Rows[Split.Test]:N0} | {e.TotalRows:N0} | {e.SkippedDeleted:N0} |");
        card.AppendLine();
        if (!options.IncludeAuthors)
            card.AppendLine("Usernames are not included. ").AppendLine();
        PublishingCard.Write(card, exports, options);

        if (options.Format != ExportFormat.Trl)
            card.AppendLine("`seconds_difference` means what it means in SHP: the preferred answer's creation time minus the other's, " +
                "never negative. A policy without SHP's time rule can prefer the earlier answer; such a pair has an empty (null) " +
                "`seconds_difference`, so no reader assuming SHP's meaning gets a wrong number, and `created_difference_seconds` " +
                "holds the signed difference (negative: the preferred answer came first) for every pair.").AppendLine();

        if (exports.Any(e => e.Run.Policy == ForumPrefs.Pairing.Policies.CommonWindowPolicy.PolicyName))
            WindowColumns(card, options, comparisons ?? []);

        if (exports.Any(e => e.Run.Policy == ForumPrefs.Pairing.Policies.PolicyChoice.Ranking))
            card.AppendLine("OpenAssistant pairs (policy `ranking`) come from human rankings of sibling replies: the preferred " +
                "answer was ranked better. The question is the conversation so far: `history` holds it as text (\"Human: ... " +
                "Assistant: ...\" for multi-turn conversations, the prompt alone for first replies), and with " +
                "`--layout trl --conversational` `prompt` is the list of turns. `score_A`/`score_B` are thumbs up minus thumbs " +
                "down; `score_ratio` is (1 + the other's rank) / (1 + the preferred one's rank) and `margin` the rank difference. " +
                "Model-written (synthetic) messages are left out unless the pairs were built with `--keep synthetic`. " +
                "OpenAssistant's data is Apache-2.0.").AppendLine();

        if (exports.Any(e => e.Run.Policy == ForumPrefs.Pairing.Policies.PolicyChoice.Discourse))
            card.AppendLine("Discourse pairs (policy `discourse`): answers to the topic's first post, score = likes, the preferred answer " +
                "written later with more likes (SHP's rule), the accepted answer (Solved plugin) counted one like ahead. The content " +
                "belongs to each forum's authors under the forum's own terms: check them before you publish this dataset.").AppendLine();

        foreach (var e in exports)
            WriteForum(card, e);

        if (plots.Count > 0)
        {
            card.AppendLine("## Plots").AppendLine();
            foreach (var plot in plots)
                card.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({plot})").AppendLine();
        }
        var path = Path.Combine(outFolder, "README.md");
        File.WriteAllText(path, card.ToString());
        return path;
    }

    private static void WriteHeader(StringBuilder card, IReadOnlyList<ForumExport> exports, ExportOptions options)
    {
        card.AppendLine("---");
        card.AppendLine($"license: {PublishingCard.HubLicense(exports)}");
        var languages = PublishingCard.Languages(exports);
        if (languages.Count > 0)
        {
            card.AppendLine("language:");
            foreach (var language in languages)
                card.AppendLine($"- {language}");
        }
        card.AppendLine("task_categories:").AppendLine("- text-generation").AppendLine("- question-answering");
        card.AppendLine("tags:").AppendLine("- human-feedback").AppendLine("- rlhf").AppendLine("- preferences").AppendLine("- forumprefs");
        card.AppendLine("configs:");
        AppendConfig(card, "default", Enum.GetValues<Split>().Select(s => (s, (IReadOnlyList<string>)[SplitGlob(options, s)])));
        foreach (var e in exports)
            AppendConfig(card, e.Folder, Enum.GetValues<Split>().Select(s => (s, e.Files[s])));
        card.AppendLine("---").AppendLine();
    }

    private static void AppendConfig(StringBuilder card, string name, IEnumerable<(Split Split, IReadOnlyList<string> Paths)> files)
    {
        card.AppendLine($"- config_name: {Quote(name)}");
        card.AppendLine("  data_files:");
        foreach (var (split, paths) in files)
        {
            card.AppendLine($"  - split: {split.Name()}");
            if (paths.Count == 1)
                card.AppendLine($"    path: {Quote(paths[0])}");
            else
            {
                // A split written in shards: every shard, by name, so the viewer and load_dataset read them as one split.
                card.AppendLine("    path:");
                foreach (var path in paths)
                    card.AppendLine($"    - {Quote(path)}");
            }
        }
    }

    /// <summary>Every forum's files of a split, whole or in shards (train.parquet, train-00000-of-00002.parquet).</summary>
    private static string SplitGlob(ExportOptions options, Split split) => $"*/{split.Name()}*{PairFileWriter.Extension(options.Format)}";

    private static void WriteForum(StringBuilder card, ForumExport e)
    {
        var d = e.Diagnostics;
        card.AppendLine($"## {e.Folder} ({Cell(e.Run.Forum.Source)}, policy `{e.Run.Policy}`)").AppendLine();
        card.AppendLine("Options:").AppendLine().AppendLine("```json").AppendLine(Pretty(e.Run.Options)).AppendLine("```").AppendLine();

        var report = JsonSerializer.Deserialize<RejectionReport>(e.Run.Report, PairingJob.Json);
        if (report is not null)
        {
            card.AppendLine($"Rejection report: {report.PostsSeen:N0} posts seen, {report.PostsKept:N0} kept; {report.CommentsSeen:N0} comments seen, {report.CommentsKept:N0} kept; {report.CandidatePairs:N0} candidate pairs, {report.PairsKept:N0} kept.").AppendLine();
            card.AppendLine("| level | rule | removed |").AppendLine("|---|---|---|");
            foreach (var rule in report.Rules)
                card.AppendLine($"| {rule.Level.ToString().ToLowerInvariant()} | {rule.Rule} | {rule.Removed:N0} |");
            card.AppendLine();
        }

        card.AppendLine("Diagnostics:").AppendLine();
        card.AppendLine($"- pairs: {d.Pairs:N0} from {d.Posts:N0} posts; labels = 1 in {Percent(d.LabelOneShare)}");
        if (e.PreferredEarlier > 0)
            card.AppendLine($"- preferred answer written first: {e.PreferredEarlier:N0} pairs (their `seconds_difference` is empty; see `created_difference_seconds`)");
        card.AppendLine($"- mean length: preferred {d.MeanPreferredLength:N0} characters, other {d.MeanOtherLength:N0}");
        card.AppendLine($"- length bias of the labels: the preferred answer is the longer one in {Percent(d.LengthBaselineAccuracy)} of pairs " +
            "(equal lengths count half), so \"the longer answer wins\" agrees with the label that often; a reward model should be judged " +
            "by its length-balanced accuracy too (`train` and `eval` report it)");
        if (d.LabelAccuracy is { } accuracy)
            card.AppendLine($"- label accuracy against the simulator's hidden quality: {Percent(accuracy)}");
        card.AppendLine().AppendLine("| score ratio | pairs | label accuracy (simulated) |").AppendLine("|---|---|---|");
        for (var bin = 0; bin < RatioBins.LowerBounds.Length; bin++)
            card.AppendLine($"| {RatioBins.Label(bin)} | {d.RatioHistogram[bin]:N0} | {(d.LabelAccuracyInBin(bin) is { } a ? Percent(a) : "–")} |");
        if (d.LabelAccuracy is not null)
        {
            card.AppendLine().AppendLine("| vote margin (the policy's own) | pairs | label accuracy (simulated) |").AppendLine("|---|---|---|");
            for (var bin = 0; bin < MarginBins.LowerBounds.Length; bin++)
                card.AppendLine($"| {MarginBins.Label(bin)} | {d.MarginHistogram[bin]:N0} | {(d.LabelAccuracyInMarginBin(bin) is { } m ? Percent(m) : "–")} |");
        }
        card.AppendLine().AppendLine("| pairs per post | posts |").AppendLine("|---|---|");
        foreach (var (range, posts) in d.PairsPerPostHistogram())
            card.AppendLine($"| {range} | {posts:N0} |");
        card.AppendLine();
    }

    private static void WindowColumns(StringBuilder card, ExportOptions options, IReadOnlyList<PairComparison> comparisons)
    {
        card.AppendLine("## Pairs decided on vote timelines (policy `common-window`)").AppendLine();
        card.AppendLine("The preferred answer won more net votes than the other while both were visible: from the later answer's creation " +
            "to the last observation of both. Scores between observations are bracketed by the observations around them, and a pair is " +
            "kept only when the winner is the same anywhere in those brackets. Unlike SHP's rule this keeps pairs where the earlier " +
            "answer leads.").AppendLine();
        var (a, b) = options.Format == ExportFormat.Trl ? ("chosen", "rejected") : ("A", "B");
        card.AppendLine($"- `window_votes_{a}`, `window_votes_{b}`: net votes each answer won in the common window; `window_seconds`: its length.");
        card.AppendLine("- `score_A`/`score_B` and `score_ratio` keep SHP's meaning (final scores; preferred / other), so `score_ratio` can be " +
            "below 1 here: the preferred answer may end with the lower score, having won the window.");
        card.AppendLine("- `seconds_difference` keeps SHP's meaning too (empty where the preferred answer was written first).").AppendLine();
        foreach (var c in comparisons)
            card.AppendLine($"Compared with policy `{c.PolicyA}` on {c.Forum}: {c.PairsB:N0} pairs here, {c.PairsA:N0} there; {c.InBoth:N0} answer pairs " +
                $"in both, preferring the same answer in {(c.Agreement is { } agree ? Percent(agree) : "–")}; {c.OnlyB:N0} pairs only here.").AppendLine();
    }

    private static string Percent(double value) =>
        double.IsNaN(value) ? "–" : (value * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    /// <summary>A name from data inside a Markdown table or heading: no line breaks, no cell separators, no markup.</summary>
    internal static string Cell(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value.ReplaceLineEndings(" "), @"[|`*_<>\[\]#]", "_");

    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    private static string Pretty(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true });
}
