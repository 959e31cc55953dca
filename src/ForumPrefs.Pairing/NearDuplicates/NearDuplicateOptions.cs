namespace ForumPrefs.Pairing.NearDuplicates;

/// <summary>
/// How near-duplicates are found: word shingles of <see cref="ShingleWords"/>, <see cref="Hashes"/> MinHash functions
/// cut into LSH bands, and the Jaccard similarity at or above which two texts count as near-duplicates. The defaults
/// (5-word shingles as datatrove, 112 hashes, 0.8) were chosen on the labelled sample of <c>forumprefs-bench dedup</c>
/// (README: "Near-duplicates").
/// </summary>
public sealed record NearDuplicateOptions
{
    public int ShingleWords { get; init; } = 5;
    public int Hashes { get; init; } = 112;
    public double Threshold { get; init; } = 0.8;

    public NearDuplicateOptions Validated()
    {
        if (ShingleWords is < 1 or > 32)
            throw new PairingOptionsException($"--shingle-words must be between 1 and 32, not {ShingleWords}");
        if (Hashes is < 8 or > 1024)
            throw new PairingOptionsException($"--minhash-hashes must be between 8 and 1024, not {Hashes}");
        if (Threshold is <= 0 or > 1 || !double.IsFinite(Threshold))
            throw new PairingOptionsException($"--near-duplicate-threshold must be above 0 and at most 1, not {Threshold}");
        return this;
    }

    /// <summary>
    /// Bands × rows of the LSH step for this threshold: the split of <see cref="Hashes"/> whose S-curve
    /// 1 − (1 − J^rows)^bands leaves the least false-positive plus false-negative area around the threshold (datasketch's
    /// choice, equal weights). Hashes beyond bands × rows are still in the signature but not banded.
    /// </summary>
    public (int Bands, int Rows) Banding()
    {
        var best = (Bands: 1, Rows: Hashes, Error: double.MaxValue);
        for (var bands = 1; bands <= Hashes; bands++)
        for (var rows = 1; bands * rows <= Hashes; rows++)
        {
            var error = Integrate(j => Candidate(j, bands, rows), 0, Threshold) + Integrate(j => 1 - Candidate(j, bands, rows), Threshold, 1);
            if (error < best.Error)
                best = (bands, rows, error);
        }
        return (best.Bands, best.Rows);
    }

    /// <summary>The chance that two texts of Jaccard similarity j share at least one band.</summary>
    public static double Candidate(double j, int bands, int rows) => 1 - Math.Pow(1 - Math.Pow(j, rows), bands);

    private static double Integrate(Func<double, double> f, double from, double to)
    {
        const int steps = 200;
        var width = (to - from) / steps;
        var sum = 0.0;
        for (var i = 0; i < steps; i++)
            sum += f(from + (i + 0.5) * width);
        return sum * width;
    }
}
