using ForumPrefs.Core;
using ForumPrefs.Datasets;

namespace ForumPrefs.Training;

/// <summary>A pair ready for the model, with what evaluation reports need (texts for the length baseline, ratio, forum).</summary>
public sealed record EncodedPair(int[] Chosen, int[] Rejected, double ScoreRatio, double Margin, string Forum, int ChosenLength, int RejectedLength);

/// <summary>What loading a split kept and dropped.</summary>
/// <param name="Truncated">Pairs kept with their question and answers cut to the model's length (their starts kept).</param>
public sealed record LoadedSplit(IReadOnlyList<EncodedPair> Pairs, int Rows, int FilteredOut, int AnswersTooLong, int IdenticalAfterTruncation,
    int Truncated = 0);

/// <summary>Reads an exported dataset split, applies the pair filters and encodes every pair.</summary>
public static class TrainingData
{
    /// <param name="evaluation">Every pair of the split: long pairs truncated whatever the config says, identical inputs kept (a tie).</param>
    public static async Task<LoadedSplit> LoadAsync(string dataFolder, Split split, TrainConfig config, PairEncoder encoder,
        CancellationToken cancellationToken = default, bool evaluation = false)
    {
        var rows = new List<DatasetRow>();
        await foreach (var row in DatasetReader.ReadAsync(dataFolder, split, config.Forum, cancellationToken))
            rows.Add(row);
        // The training filters shape what the model learns from; evaluation scores the split as exported.
        // --min-ratio 1 (the default) keeps every pair, including Stack Exchange pairs an accepted answer won with fewer
        // votes (their raw-score ratio is below 1).
        var kept = evaluation || config.MinRatio <= 1 ? rows : rows.Where(r => r.ScoreRatio >= config.MinRatio).ToList();
        if (!evaluation && config.MaxPairsPerPost is { } cap)
            kept = kept.GroupBy(r => (r.Domain, r.PostId))
                .SelectMany(g => g.OrderByDescending(r => r.ScoreRatio).ThenBy(r => r.Chosen, StringComparer.Ordinal).Take(cap))
                .ToList();
        var pairs = new List<EncodedPair>(kept.Count);
        int tooLong = 0, identical = 0, truncated = 0;
        foreach (var row in kept)
        {
            var (outcome, chosen, rejected) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected, evaluation || config.LongPairs == LongPairs.Truncate);
            if (outcome == PairEncoder.Outcome.AnswersTooLong) { tooLong++; continue; }
            if (outcome == PairEncoder.Outcome.IdenticalAfterTruncation) { identical++; if (!evaluation) continue; }
            if (outcome == PairEncoder.Outcome.Truncated) truncated++;
            pairs.Add(new EncodedPair(chosen, rejected, row.ScoreRatio, row.Margin, ForumOf(row.Domain), row.Chosen.Length, row.Rejected.Length));
        }
        return new LoadedSplit(pairs, rows.Count, rows.Count - kept.Count, tooLong, identical, truncated);
    }

    /// <summary>"explainlikeimfive_train" → "explainlikeimfive".</summary>
    public static string ForumOf(string domain)
    {
        var cut = domain.LastIndexOf('_');
        return cut > 0 ? domain[..cut] : domain;
    }
}
