using ForumPrefs.Core;
using ForumPrefs.Datasets;

namespace ForumPrefs.Training;

/// <summary>A pair ready for the model, with what evaluation reports need (texts for the length baseline, ratio, forum).</summary>
public sealed record EncodedPair(int[] Chosen, int[] Rejected, double ScoreRatio, double Margin, string Forum, int ChosenLength, int RejectedLength);

/// <summary>What loading a split kept and dropped.</summary>
public sealed record LoadedSplit(IReadOnlyList<EncodedPair> Pairs, int Rows, int FilteredOut, int AnswersTooLong, int IdenticalAfterTruncation);

/// <summary>Reads an exported dataset split, applies the pair filters and encodes every pair.</summary>
public static class TrainingData
{
    public static async Task<LoadedSplit> LoadAsync(string dataFolder, Split split, TrainConfig config, PairEncoder encoder,
        CancellationToken cancellationToken = default)
    {
        var rows = new List<DatasetRow>();
        await foreach (var row in DatasetReader.ReadAsync(dataFolder, split, config.Forum, cancellationToken))
            rows.Add(row);
        var kept = rows.Where(r => r.ScoreRatio >= config.MinRatio).ToList();
        if (config.MaxPairsPerPost is { } cap)
            kept = kept.GroupBy(r => (r.Domain, r.PostId))
                .SelectMany(g => g.OrderByDescending(r => r.ScoreRatio).ThenBy(r => r.Chosen, StringComparer.Ordinal).Take(cap))
                .ToList();
        var pairs = new List<EncodedPair>(kept.Count);
        int tooLong = 0, identical = 0;
        foreach (var row in kept)
        {
            var (outcome, chosen, rejected) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected);
            if (outcome == PairEncoder.Outcome.AnswersTooLong) { tooLong++; continue; }
            if (outcome == PairEncoder.Outcome.IdenticalAfterTruncation) { identical++; continue; }
            pairs.Add(new EncodedPair(chosen, rejected, row.ScoreRatio, row.Margin, ForumOf(row.Domain), row.Chosen.Length, row.Rejected.Length));
        }
        return new LoadedSplit(pairs, rows.Count, rows.Count - kept.Count, tooLong, identical);
    }

    /// <summary>"explainlikeimfive_train" → "explainlikeimfive".</summary>
    public static string ForumOf(string domain)
    {
        var cut = domain.LastIndexOf('_');
        return cut > 0 ? domain[..cut] : domain;
    }
}
