using ForumPrefs.Core;
using ForumPrefs.Datasets;
using System.Runtime.CompilerServices;

namespace ForumPrefs.Training;

/// <summary>A pair ready for the model, with what evaluation reports need (texts for the length baseline, ratio, forum).</summary>
/// <param name="Truncated">Its question and answers were cut to the model's length (their starts kept).</param>
public sealed record EncodedPair(int[] Chosen, int[] Rejected, double ScoreRatio, double Margin, string Forum, int ChosenLength, int RejectedLength,
    bool Truncated = false);

/// <summary>Reads an exported split for evaluation (training streams its split: <see cref="TrainingStream"/>).</summary>
public static class TrainingData
{
    /// <summary>
    /// Every pair of the split as exported, streamed: no training filter applies, long pairs are truncated, and pairs
    /// whose two inputs come out identical are kept (they count as a tie).
    /// </summary>
    public static async IAsyncEnumerable<EncodedPair> EncodeAsync(string dataFolder, Split split, string? forum, PairEncoder encoder,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in DatasetReader.ReadAsync(dataFolder, split, forum, cancellationToken))
        {
            var (outcome, chosen, rejected) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected, truncate: true);
            yield return new EncodedPair(chosen, rejected, row.ScoreRatio, row.Margin, ForumOf(row.Domain), row.Chosen.Length, row.Rejected.Length,
                outcome == PairEncoder.Outcome.Truncated);
        }
    }

    /// <summary>Rows from any preference file (<see cref="PreferenceFile"/>), encoded as <see cref="EncodeAsync"/> encodes a split.</summary>
    public static async IAsyncEnumerable<EncodedPair> EncodeRowsAsync(IAsyncEnumerable<DatasetRow> rows, PairEncoder encoder,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var (outcome, chosen, rejected) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected, truncate: true);
            yield return new EncodedPair(chosen, rejected, row.ScoreRatio, row.Margin, ForumOf(row.Domain), row.Chosen.Length, row.Rejected.Length,
                outcome == PairEncoder.Outcome.Truncated);
        }
    }

    /// <summary>"explainlikeimfive_train" → "explainlikeimfive".</summary>
    public static string ForumOf(string domain)
    {
        var cut = domain.LastIndexOf('_');
        return cut > 0 ? domain[..cut] : domain;
    }
}
