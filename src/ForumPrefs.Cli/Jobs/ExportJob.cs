using ForumPrefs.Datasets;
using ForumPrefs.Cli.Output;
using ForumPrefs.Export;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;

namespace ForumPrefs.Cli.Jobs;

/// <summary>Exports one pair run per forum, then writes the dataset card and its plots.</summary>
internal static class ExportJob
{
    public sealed record Result(string Folder, IReadOnlyList<ForumExport> Forums, string Card);

    public static async Task<Result> RunAsync(CliIO io, ForumStore store, string outFolder, ExportOptions options,
        string policy, string? forum, IReadOnlyDictionary<string, string> sourceDefaults, bool force, CancellationToken cancellationToken)
    {
        var runs = RunChoice.For(PairRunWriter.List(store), policy, forum, sourceDefaults);
        var folder = io.Resolve(outFolder);
        // Written aside and moved into place whole: a killed export leaves no half dataset where training looks.
        var exports = await ExportFolder.WriteAsync(folder, store.StoreId, options.Format.ToString().ToLowerInvariant(), force, async partial =>
        {
            IReadOnlyList<ForumExport> written = [];
            await ProgressDisplay.RunAsync(io, "export", runs.Sum(r => r.Pairs), "pairs", async progress =>
            {
                written = await DatasetExporter.ExportAsync(store, runs, partial, options, progress.Report, cancellationToken);
            });
            var plots = DiagnosticPlots.Write(partial, written).Concat(TimelinePlots.Write(partial, store, written)).ToList();
            DatasetCard.Write(partial, written, options, plots, PolicyComparisons.ForWindowRuns(store, written.Select(e => e.Run)));
            return written;
        });
        return new Result(folder, exports, Path.Combine(folder, "README.md"));
    }
}
