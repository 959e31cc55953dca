using ForumPrefs.Store;

namespace ForumPrefs.Bench;

/// <summary>A whole-number option of a benchmark (sizes, counts), with the least value that makes sense.</summary>
public sealed record BenchOption(string Name, string Description, int Default, int Min = 1);

/// <summary>What a benchmark prints: a table, and lines under it (targets, what the ratios do and do not measure).</summary>
public sealed record BenchReport(QueryResult Table, IReadOnlyList<string> Notes);

/// <summary>A file option of a benchmark: real data to run on instead of generated data.</summary>
public sealed record BenchFileOption(string Name, string Description);

/// <summary>The values a benchmark runs with: its whole-number options by name, and its file option's path if given.</summary>
public sealed record BenchValues(IReadOnlyDictionary<string, int> Numbers, string? File = null)
{
    public int this[string name] => Numbers[name];
}

/// <summary>
/// One <c>forumprefs bench NAME</c>: it announces what it does, runs in a scratch folder that is removed afterwards,
/// and reports its figures with the ratio to a reference measured in the same run.
/// </summary>
public sealed record Benchmark(string Name, string Description, IReadOnlyList<BenchOption> Options,
    Func<BenchValues, string> Announce,
    Func<string, BenchValues, Task<BenchReport>> RunAsync)
{
    public BenchFileOption? FileOption { get; init; }

    /// <summary>About how many bytes the run writes into its scratch folder at its peak (generated inputs, stores).</summary>
    public Func<BenchValues, long> ScratchBytes { get; init; } = _ => 0;
}
