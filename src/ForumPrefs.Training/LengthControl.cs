namespace ForumPrefs.Training;

/// <summary>
/// A model's accuracy with the data's length bias taken apart (Singhal et al., 2023, "A Long Way to Go"): on the pairs
/// whose preferred answer is the longer one, on those where it is the shorter one, and their mean, the length-balanced
/// accuracy. "The longer answer wins" scores 100 % and 0 % on the two sides, so 50 % balanced: a model above 50 %
/// balanced has learned something besides length. Pairs of equal length are counted apart and in neither side.
/// </summary>
public sealed record LengthControl(Accuracy PreferredLonger, Accuracy PreferredShorter, long EqualLength,
    IReadOnlyList<(string Bin, Accuracy Accuracy)> PerLengthRatioBin)
{
    /// <summary>The mean of the two sides' accuracies; NaN when either side has no pair.</summary>
    public double Balanced => (PreferredLonger.Model + PreferredShorter.Model) / 2;

    /// <summary>
    /// A 95 % interval for <see cref="Balanced"/>: the two sides' Wilson half-widths combined as independent
    /// (half = ½·√(h₁² + h₂²)), around the balanced accuracy, kept inside [0, 1].
    /// </summary>
    public (double Low, double High) BalancedInterval
    {
        get
        {
            var (l1, h1) = PreferredLonger.ModelInterval;
            var (l2, h2) = PreferredShorter.ModelInterval;
            if (double.IsNaN(l1) || double.IsNaN(l2))
                return (double.NaN, double.NaN);
            var half = Math.Sqrt(Math.Pow((h1 - l1) / 2, 2) + Math.Pow((h2 - l2) / 2, 2)) / 2;
            return (Math.Max(0, Balanced - half), Math.Min(1, Balanced + half));
        }
    }

    /// <summary>Of the pairs of unequal length, the share whose preferred answer is the longer one (the labels' length bias).</summary>
    public double PreferredLongerShare =>
        PreferredLonger.Pairs + PreferredShorter.Pairs == 0 ? double.NaN : (double)PreferredLonger.Pairs / (PreferredLonger.Pairs + PreferredShorter.Pairs);
}

/// <summary>Bins of the preferred answer's length over the other's.</summary>
public static class LengthRatioBins
{
    /// <summary>Lower bounds; each bin runs to the next bound.</summary>
    public static readonly double[] LowerBounds = [0, 0.5, 0.8, 1.25, 2];

    public static string Label(int bin) => bin switch
    {
        0 => "< 0.5",
        1 => "0.5–0.8",
        2 => "0.8–1.25",
        3 => "1.25–2",
        _ => "≥ 2",
    };

    /// <summary>The bin of <paramref name="preferred"/> / <paramref name="other"/> characters (an empty other answer counts as 1).</summary>
    public static int Of(int preferred, int other)
    {
        var ratio = (double)preferred / Math.Max(other, 1);
        var bin = 0;
        while (bin + 1 < LowerBounds.Length && ratio >= LowerBounds[bin + 1])
            bin++;
        return bin;
    }
}
