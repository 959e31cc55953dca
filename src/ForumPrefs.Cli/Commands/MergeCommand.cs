using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary>
/// <c>forumprefs merge</c>: stores ingested apart (monthly files on several machines) merged into one, the same store
/// as one machine reading every file would have built.
/// </summary>
internal sealed class MergeCommand : Command
{
    private readonly Argument<string[]> _stores = new("STORE") { Description = "Stores to merge into --db (only read)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public MergeCommand(CliIO io) : base("merge", "Merge stores built from other files (other machines) into this one, as if it had read them all; rerun if interrupted")
    {
        Arguments.Add(_stores);
        Options.Add(_db);
        Options.Add(_format);
        SetAction(async (parse, cancellationToken) =>
        {
            var others = InputFiles.Existing(io, parse.GetValue(_stores)!);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var reports = new List<MergeReport>();
            foreach (var other in others)
            {
                long total = 0;
                await ProgressDisplay.RunAsync(io, $"merge {Path.GetFileName(other)}", 0, "rows", progress =>
                {
                    reports.Add(store.MergeFrom(other, new ProgressDisplay.SyncProgress<MergeProgress>(p =>
                    {
                        total = p.Total;
                        progress.Report(p.Done);
                    }), cancellationToken));
                    return Task.CompletedTask;
                }, totalNow: () => total);
            }
            ResultWriter.Write(io.Out, new QueryResult(
                ["store", "posts", "new_posts", "comments", "new_comments", "snapshots_added", "pending_applied",
                 "checkpoints_carried", "checkpoints_kept", "depths_settled", "replies_waiting"],
                reports.Select(r => new object?[] { Path.GetFileName(r.Source), r.PostsRead, r.PostsNew, r.CommentsRead,
                    r.CommentsNew, r.SnapshotsAdded, r.PendingApplied, r.CheckpointsCarried, r.CheckpointsKept,
                    r.Depths.Resolved, r.Depths.Waiting }).ToList()), parse.GetValue(_format));
            foreach (var resumed in reports.Where(r => r.Resumed))
                io.Error.WriteLine($"note: {Path.GetFileName(resumed.Source)}: an interrupted merge went on after the rows it had committed (the counts are this run's)");
            if (reports.Sum(r => r.CheckpointsKept) is > 0 and var kept)
                io.Error.WriteLine($"note: {kept:N0} checkpoints of files both stores read differ; this store's were kept");
            if (reports.Any(r => r.StalePairRuns > 0))
                io.Error.WriteLine("note: the pairs of merged forums were built before this merge; run 'forumprefs pairs' again before exporting");
            return ExitCodes.Done;
        });
    }
}
