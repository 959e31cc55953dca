using ForumPrefs.Store;

namespace ForumPrefs.Bench;

/// <summary>A whole-number option of a benchmark (sizes, counts), with the least value that makes sense.</summary>
public sealed record BenchOption(string Name, string Description, int Default, int Min = 1);

/// <summary>What a benchmark prints: a table, and lines under it (targets, what the ratios do and do not measure).</summary>
public sealed record BenchReport(QueryResult Table, IReadOnlyList<string> Notes);

/// <summary>
/// One <c>forumprefs bench NAME</c>: it announces what it does, runs in a scratch folder that is removed afterwards,
/// and reports its figures with the ratio to a reference measured in the same run.
/// </summary>
public sealed record Benchmark(string Name, string Description, IReadOnlyList<BenchOption> Options,
    Func<IReadOnlyDictionary<string, int>, string> Announce,
    Func<string, IReadOnlyDictionary<string, int>, Task<BenchReport>> RunAsync);
