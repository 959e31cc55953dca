namespace ForumPrefs.Core;

/// <summary>The score-ratio bins used by every histogram and accuracy curve.</summary>
public static class RatioBins
{
    public static readonly double[] LowerBounds = [1, 1.5, 2, 3, 5, 10];

    public static string Label(int bin) => bin == LowerBounds.Length - 1
        ? $"≥ {LowerBounds[bin]:0.#}"
        : $"{LowerBounds[bin]:0.#}–{LowerBounds[bin + 1]:0.#}";

    public static int Of(double ratio)
    {
        for (var bin = LowerBounds.Length - 1; bin > 0; bin--)
            if (ratio >= LowerBounds[bin])
                return bin;
        return 0;
    }
}
