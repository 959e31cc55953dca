namespace ForumPrefs.Ingest;

/// <summary>How far an ingest is, in its own unit (MB, files, posts), and the total when it is known.</summary>
public readonly record struct IngestProgress(long Done, long Total);

/// <summary>
/// Where an ingest tells what it is doing: progress for a bar, notices (resumed, changed file, skipped examples) for a
/// log. The command line draws and prints them.
/// </summary>
public sealed record IngestReporter(IProgress<IngestProgress> Progress, Action<string> Notice);
