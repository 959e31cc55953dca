namespace ForumPrefs.Ingest;

/// <summary>
/// What every checkpoint of an ingest holds: whether its unit (a file, a page, a listing) is finished, and what was
/// skipped, by kind, with the first few examples. Each source adds its own counts and position.
/// </summary>
public class IngestState
{
    public const int MaxExamples = 5;

    public bool Done { get; set; }
    public Dictionary<string, long> Skipped { get; set; } = [];
    public List<string> Examples { get; set; } = [];
    /// <summary>The --refresh pass that last stored this unit (see <see cref="RefreshPass"/>); null outside a refresh.</summary>
    public string? Pass { get; set; }

    /// <summary>Counts one skipped record; returns the example when it is one of the first few (to be shown), else null.</summary>
    public string? Skip(string kind, string example)
    {
        Skipped[kind] = Skipped.GetValueOrDefault(kind) + 1;
        if (Examples.Count >= MaxExamples)
            return null;
        Examples.Add(example);
        return example;
    }
}
