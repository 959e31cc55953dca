using System.Globalization;
using ForumPrefs.Datasets;
using ForumPrefs.Cli.Commands;
using ForumPrefs.Cli.Commands.Crawl;
using ForumPrefs.Cli.Commands.Ingest;
using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli;

/// <summary>
/// Builds the command line and runs one invocation. Every failure becomes one line on stderr and an exit code
/// (see <see cref="ExitCodes"/>); a stack trace is printed only with --verbose.
/// </summary>
public static class ForumPrefsApp
{
    /// <param name="time">The clock crawls pace and back off by; tests pass a fake one.</param>
    /// <param name="sources">The sources there are (default: those ForumPrefs.Ingest holds); a plug-in or a test adds its own.</param>
    public static async Task<int> RunAsync(string[] args, CliIO io, CancellationToken cancellationToken = default, TimeProvider? time = null,
        ForumSources? sources = null)
    {
        sources ??= ForumSources.Default;
        // Numbers, dates and any remaining culture-aware call read the same on every machine, whatever its locale.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        ResultWriter.PrepareInBackground();
        var verbose = new Option<bool>("--verbose") { Description = "Print stack traces on errors", Recursive = true };
        var root = new RootCommand("ForumPrefs: turn community forum votes into preference data for reward models.")
        {
            new RunCommand(io, time ?? TimeProvider.System, sources),
            new SimulateCommand(io),
            new QueryCommand(io),
            new StatsCommand(io),
            new MergeCommand(io),
            new IngestCommand(io, sources, time ?? TimeProvider.System),
            new CrawlCommand(io, time ?? TimeProvider.System),
            new PairsCommand(io, sources),
            new ExportCommand(io, sources),
            new TrainCommand(io),
            new EvalCommand(io),
            new ScoreCommand(io),
            new ModelsCommand(io),
        };
        root.Options.Add(verbose);
        CommonOptions.RequireFiniteNumbers(root);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var verb = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
            var message = string.Join(" ", parsed.Errors[0].Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            io.Error.WriteLine($"error: {message} (see 'forumprefs {verb}--help')");
            return ExitCodes.BadUsage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = io.Out,
                Error = io.Error,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
        }
        catch (Exception ex)
        {
            var (code, message) = ex switch
            {
                UsageException or SourceUsageException or ForumPrefs.Pairing.PairingOptionsException or ForumPrefs.Datasets.ExportTargetException => (ExitCodes.BadUsage, ex.Message),
                OperationCanceledException => (ExitCodes.Interrupted, "interrupted; run the same command again to resume"),
                StoreException or IOException or UnauthorizedAccessException or SourceException
                    or ForumPrefs.Training.TrainingException or ForumPrefs.Datasets.DatasetException => (ExitCodes.Failed, ex.Message),
                _ when ForumStore.ExplainIfSqlite(ex) is { } sqlite => (ExitCodes.Failed, sqlite),
                TimeoutException or HttpRequestException => (ExitCodes.Failed, $"network: {ex.Message} (retries exhausted; run the same command again to resume)"),
                _ => (ExitCodes.Failed, $"{ex.GetType().Name}: {ex.Message}"),
            };
            io.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
            if (parsed.GetValue(verbose))
                io.Error.WriteLine(ex.ToString());
            return code;
        }
    }
}
