namespace ForumPrefs.Pairing;

/// <summary>
/// Vote-margin bins (the preferred answer's lead in the policy's own votes: final score for SHP, window votes for
/// common-window), the one scale on which every policy's labels can be compared.
/// </summary>
public static class MarginBins
{
    public static readonly double[] LowerBounds = [0, 2, 4, 8, 16, 32];

    public static string Label(int bin) => bin == LowerBounds.Length - 1
        ? $"≥ {LowerBounds[bin]:0}"
        : bin == 0 ? "1" : $"{LowerBounds[bin]:0}–{LowerBounds[bin + 1] - 1:0}";

    public static int Of(double margin)
    {
        for (var bin = LowerBounds.Length - 1; bin > 0; bin--)
            if (margin >= LowerBounds[bin])
                return bin;
        return 0;
    }
}
