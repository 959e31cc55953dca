using ForumPrefs.Core;
namespace ForumPrefs.Pairing;

/// <summary>
/// What users check before trusting a dataset: score-ratio spread, pairs per post, length bias (and how often
/// "the longer answer wins" agrees with the label), and, for simulated forums, how often the label agrees with
/// the hidden quality, overall and per score-ratio bin.
/// </summary>
public sealed class PairDiagnostics
{
    private readonly Dictionary<string, int> _pairsPerPost = [];

    public long Pairs { get; private set; }
    public long LabelsOne { get; private set; }
    public long[] RatioHistogram { get; } = new long[RatioBins.LowerBounds.Length];
    public double PreferredLengthSum { get; private set; }
    public double OtherLengthSum { get; private set; }
    /// <summary>Pairs where the preferred answer is the longer one; equal lengths count half.</summary>
    public double LongerWins { get; private set; }
    public long TruthPairs { get; private set; }
    public long TruthAgrees { get; private set; }
    public long[] TruthPairsByBin { get; } = new long[RatioBins.LowerBounds.Length];
    public long[] TruthAgreesByBin { get; } = new long[RatioBins.LowerBounds.Length];

    public long[] SplitCounts { get; } = new long[3];
    public long[] MarginHistogram { get; } = new long[MarginBins.LowerBounds.Length];
    public long[] TruthPairsByMargin { get; } = new long[MarginBins.LowerBounds.Length];
    public long[] TruthAgreesByMargin { get; } = new long[MarginBins.LowerBounds.Length];

    public void Add(string postId, string preferredText, string otherText, double ratio, double? preferredQuality, double? otherQuality,
        int label, Core.Split split, double margin = 0)
    {
        var marginBin = MarginBins.Of(margin);
        MarginHistogram[marginBin]++;
        Pairs++;
        SplitCounts[(int)split]++;
        LabelsOne += label;
        var bin = RatioBins.Of(ratio);
        RatioHistogram[bin]++;
        _pairsPerPost[postId] = _pairsPerPost.GetValueOrDefault(postId) + 1;
        PreferredLengthSum += preferredText.Length;
        OtherLengthSum += otherText.Length;
        LongerWins += preferredText.Length > otherText.Length ? 1 : preferredText.Length == otherText.Length ? 0.5 : 0;
        if (preferredQuality is { } p && otherQuality is { } o)
        {
            TruthPairs++;
            TruthPairsByBin[bin]++;
            TruthPairsByMargin[marginBin]++;
            if (p > o)
            {
                TruthAgrees++;
                TruthAgreesByBin[bin]++;
                TruthAgreesByMargin[marginBin]++;
            }
        }
    }

    public int Posts => _pairsPerPost.Count;
    public double MeanPreferredLength => Pairs == 0 ? 0 : PreferredLengthSum / Pairs;
    public double MeanOtherLength => Pairs == 0 ? 0 : OtherLengthSum / Pairs;
    public double LengthBaselineAccuracy => Pairs == 0 ? double.NaN : LongerWins / Pairs;
    public double? LabelAccuracy => TruthPairs == 0 ? null : (double)TruthAgrees / TruthPairs;
    public double LabelOneShare => Pairs == 0 ? double.NaN : (double)LabelsOne / Pairs;

    public double? LabelAccuracyInBin(int bin) => TruthPairsByBin[bin] == 0 ? null : (double)TruthAgreesByBin[bin] / TruthPairsByBin[bin];

    public double? LabelAccuracyInMarginBin(int bin) =>
        TruthPairsByMargin[bin] == 0 ? null : (double)TruthAgreesByMargin[bin] / TruthPairsByMargin[bin];

    /// <summary>How many posts have 1, 2, 3–5, 6–10, 11–50 and more than 50 pairs.</summary>
    public IReadOnlyList<(string Range, int Posts)> PairsPerPostHistogram()
    {
        (string, int, int)[] ranges = [("1", 1, 1), ("2", 2, 2), ("3–5", 3, 5), ("6–10", 6, 10), ("11–50", 11, 50), ("> 50", 51, int.MaxValue)];
        return ranges.Select(r => (r.Item1, _pairsPerPost.Values.Count(n => n >= r.Item2 && n <= r.Item3))).ToList();
    }
}
