using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.RedditDump;

/// <summary><c>ingest reddit-dump</c>: Pushshift / Arctic Shift dump files, threads rebuilt across files.</summary>
public sealed class RedditDumpSource : IngestSource<RedditDumpSource.Settings>
{
    public sealed record Settings(RedditDumpIngest.Filters Filters, int Jobs, ZstdDecoder Decoder);

    public override string Name => "reddit-dump";
    public override string Description => "Pushshift / Arctic Shift dumps: posts and comments, threads rebuilt across files";
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string> { [SourceNames.Reddit] = "shp" };
    public override string Inputs => "RS_*/RC_* monthly or per-subreddit files, .zst or plain NDJSON, in any order";
    public override IReadOnlyList<string> Formats => [".zst", ".gz", ".bz2", ".xz", ".ndjson"];
    public override string ProgressUnit => "MB";
    public override IReadOnlyList<SourceOption> Options =>
    [
        new("subreddit", "Only these subreddits (comma-separated, any case)", HelpName: "LIST"),
        new("since", "Only items created at or after this date (UTC)", SourceOptionKind.Date, HelpName: "DATE"),
        new("until", "Only items created before this date (UTC)", SourceOptionKind.Date, HelpName: "DATE"),
        // Each reader already keeps two threads busy (one decompressing, one scanning and parsing): half the cores.
        new("jobs", "Files read, decompressed and parsed at once (one writer stores them); default: half the cores", SourceOptionKind.Number,
            Default: Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture), HelpName: "N"),
        new("zstd", "zstd decoder: native (the system's libzstd), managed (ZstdSharp) or auto (native where installed)", Default: "auto", HelpName: "auto|native|managed"),
    ];

    public override Settings Read(SourceArguments arguments)
    {
        var names = arguments.Text("subreddit")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var filters = new RedditDumpIngest.Filters(names is { Length: > 0 } ? new SubredditFilter(names) : null, arguments.Date("since"), arguments.Date("until"));
        if (filters.Since >= filters.Until)
            throw new SourceUsageException($"--since ({filters.Since:yyyy-MM-dd}) must be earlier than --until ({filters.Until:yyyy-MM-dd}): nothing would be kept");
        var jobs = arguments.Number("jobs", Math.Max(1, Environment.ProcessorCount / 2));
        if (jobs < 1)
            throw new SourceUsageException("--jobs must be at least 1");
        var decoder = (arguments.Text("zstd") ?? "auto").ToLowerInvariant() switch
        {
            "auto" => ZstdDecoder.Auto,
            "managed" => ZstdDecoder.Managed,
            "native" => NativeZstdStream.Available ? ZstdDecoder.Native
                : throw new SourceUsageException("--zstd native needs the system's libzstd (libzstd.so.1; apt-get install libzstd1)"),
            var other => throw new SourceUsageException($"--zstd must be auto, native or managed, not '{other}'"),
        };
        return new Settings(filters, jobs, decoder);
    }

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var result = RedditDumpIngest.Run(store, inputs, settings.Filters, context.Reporter, cancellationToken, settings.Jobs, settings.Decoder);
        var depths = result.Depths;
        var notes = new List<string>();
        if (depths.Resolved > 0)
            notes.Add($"linked {depths.Resolved:N0} replies to their parents");
        if (depths.Waiting > 0)
            notes.Add($"{depths.Waiting:N0} replies wait for a parent not ingested yet (a later file may bring it)");
        if (depths.InCycles > 0)
            notes.Add($"{depths.InCycles:N0} replies sit in parent loops (corrupt data): stored with depth -2, never paired");
        var run = SourceRun.Of(result.Files, ["lines", "posts", "comments", "clamped_scores", "millisecond_times"],
            s => [s.Lines, s.Posts, s.Comments, s.ClampedScores, s.MillisecondTimes], Enum.GetValues<SkipKind>().Select(k => k.Name()).ToArray(), notes);
        return Task.FromResult(run);
    }
}
