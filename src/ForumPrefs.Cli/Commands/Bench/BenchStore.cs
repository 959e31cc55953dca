using ForumPrefs.Cli.Benchmarks;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;
using System.Diagnostics;

namespace ForumPrefs.Cli.Commands.Bench;

/// <summary><c>forumprefs bench store</c>: store upsert throughput next to sqlite bulk insert.</summary>
internal static class BenchStore
{
    public static Command Create(CliIO io)
    {
        var comments = new Option<int>("--comments") { Description = "Comments to upsert", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Comments per transaction", DefaultValueFactory = _ => 20_000 };
        var format = CommonOptions.Format();
        var command = new Command("store", $"Upsert throughput of the SQLite store (target >= {StoreBenchmark.TargetCommentsPerSecond:N0} comments/s)")
        {
            comments, batch, format,
        };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(comments);
            if (count < 100)
                throw new UsageException("--comments must be at least 100");
            return ScratchFolder.Use(folder =>
            {
            io.Error.WriteLine($"bench store: {count:N0} comments, {parse.GetValue(batch):N0} per transaction, {Environment.ProcessorCount} cores");
            var rows = StoreBenchmark.Run(folder, count, parse.GetValue(batch));
            var reference = rows[^1].Rate;
            var table = new QueryResult(["pass", "comments", "seconds", "comments_per_s", "ratio_to_reference"],
                rows.Select(r => new object?[] { r.Pass, r.Comments, Math.Round(r.Seconds, 2), (long)r.Rate, Math.Round(r.Rate / reference, 2) }).ToList());
            ResultWriter.Write(io.Out, table, parse.GetValue(format));
            var verdict = rows[0].Rate >= StoreBenchmark.TargetCommentsPerSecond ? "meets" : "MISSES";
            io.Out.WriteLine($"first-write upsert {rows[0].Rate:N0} comments/s {verdict} the target of {StoreBenchmark.TargetCommentsPerSecond:N0}/s; peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576:N0} MB");
            return ExitCodes.Done;
            });
        });
        return command;
    }
}
