using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest reddit-dump</c>: Pushshift / Arctic Shift dump files.</summary>
internal sealed class RedditDumpCommand : Command
{
    private readonly Argument<string[]> _files = new("FILE") { Description = "RS_*/RC_* monthly or per-subreddit files, .zst or plain NDJSON, in any order", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _subreddits = new("--subreddit") { Description = "Only these subreddits (comma-separated, any case)", HelpName = "LIST" };
    private readonly Option<string?> _since = new("--since") { Description = "Only items created at or after this date (UTC)", HelpName = "DATE" };
    private readonly Option<string?> _until = new("--until") { Description = "Only items created before this date (UTC)", HelpName = "DATE" };
    // Each reader already keeps two threads busy (one decompressing, one scanning and parsing): half the cores.
    private readonly Option<int> _jobs = new("--jobs") { Description = "Files read, decompressed and parsed at once (one writer stores them); default: half the cores", HelpName = "N", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) };
    private readonly Option<string> _zstd = new("--zstd") { Description = "zstd decoder: native (the system's libzstd), managed (ZstdSharp) or auto (native where installed)", HelpName = "auto|native|managed", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public RedditDumpCommand(CliIO io) : base("reddit-dump", "Pushshift / Arctic Shift dumps: posts and comments, threads rebuilt across files")
    {
        foreach (var option in new Option[] { _subreddits, _since, _until, _jobs, _zstd, _db, _format })
            Options.Add(option);
        Arguments.Add(_files);
        SetAction(async (parse, cancellationToken) =>
        {
            var paths = InputFiles.Existing(io, parse.GetValue(_files)!);
            var filters = Filters(parse);
            if (parse.GetValue(_jobs) < 1)
                throw new UsageException("--jobs must be at least 1");
            var decoder = parse.GetValue(_zstd)!.ToLowerInvariant() switch
            {
                "auto" => ZstdDecoder.Auto,
                "managed" => ZstdDecoder.Managed,
                "native" => NativeZstdStream.Available ? ZstdDecoder.Native
                    : throw new UsageException("--zstd native needs the system's libzstd (libzstd.so.1; apt-get install libzstd1)"),
                var other => throw new UsageException($"--zstd must be auto, native or managed, not '{other}'"),
            };
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var result = await ProgressDisplay.RunAsync(io, "ingest", "MB",
                reporter => RedditDumpIngest.Run(store, paths, filters, reporter, cancellationToken, parse.GetValue(_jobs), decoder));
            Print(io, result.Depths);

            ResultWriter.Write(io.Out, IngestOutput.Files(result.Files, ["lines", "posts", "comments", "clamped_scores", "millisecond_times"],
                s => [s.Lines, s.Posts, s.Comments, s.ClampedScores, s.MillisecondTimes], Enum.GetValues<SkipKind>().Select(k => k.Name()).ToArray()), parse.GetValue(_format));
            var skipped = result.Files.Sum(r => r.State.Skipped.Values.Sum());
            if (skipped == 0)
                return ExitCodes.Done;
            io.Error.WriteLine($"{skipped:N0} record(s) skipped (see the table; the first examples of each file were logged above)");
            return ExitCodes.DoneWithSkips;
        });
    }

    private RedditDumpIngest.Filters Filters(ParseResult parse)
    {
        var names = parse.GetValue(_subreddits)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var filters = new RedditDumpIngest.Filters(names is { Length: > 0 } ? new SubredditFilter(names) : null,
            OptionValues.Date(parse.GetValue(_since), "--since"), OptionValues.Date(parse.GetValue(_until), "--until"));
        return filters.Since >= filters.Until
            ? throw new UsageException($"--since ({filters.Since:yyyy-MM-dd}) must be earlier than --until ({filters.Until:yyyy-MM-dd}): nothing would be kept")
            : filters;
    }

    private static void Print(CliIO io, DepthReport depths)
    {
        if (depths.Resolved > 0)
            io.Error.WriteLine($"linked {depths.Resolved:N0} replies to their parents");
        if (depths.Waiting > 0)
            io.Error.WriteLine($"{depths.Waiting:N0} replies wait for a parent not ingested yet (a later file may bring it)");
        if (depths.InCycles > 0)
            io.Error.WriteLine($"{depths.InCycles:N0} replies sit in parent loops (corrupt data): stored with depth -2, never paired");
    }
}
