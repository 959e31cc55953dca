using ForumPrefs.Cli.Benchmarks;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;
using System.Diagnostics;

namespace ForumPrefs.Cli.Commands.Bench;

/// <summary><c>forumprefs bench pairs</c>: pair building and parquet export throughput.</summary>
internal static class BenchPairs
{
    public static Command Create(CliIO io)
    {
        var posts = new Option<int>("--posts") { Description = "Posts of 50 answers each (1,225 pairs a post)", DefaultValueFactory = _ => 1000 };
        var format = CommonOptions.Format();
        var command = new Command("pairs", $"Pair building and Parquet export throughput (target >= {PairsBenchmark.TargetRowsPerSecond:N0} rows/s)")
        {
            posts, format,
        };
        command.SetAction(async parse =>
        {
            var count = parse.GetValue(posts);
            if (count < 1)
                throw new UsageException("--posts must be at least 1");
            return await ScratchFolder.UseAsync(async folder =>
            {
            io.Error.WriteLine($"bench pairs: {count:N0} posts x 50 answers, {Environment.ProcessorCount} cores");
            var rows = await PairsBenchmark.RunAsync(folder, count);
            var table = new QueryResult(["stage", "rows", "seconds", "rows_per_s", "mb_written", "target_met"],
                rows.Select(r => new object?[] { r.Stage, r.Rows, Math.Round(r.Seconds, 2), (long)r.Rate, Math.Round(r.MegabytesWritten, 1),
                    r.Rate >= PairsBenchmark.TargetRowsPerSecond ? "yes" : "no" }).ToList());
            ResultWriter.Write(io.Out, table, parse.GetValue(format));
            io.Out.WriteLine($"target {PairsBenchmark.TargetRowsPerSecond:N0} rows/s; peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576:N0} MB");
            return ExitCodes.Done;
            });
        });
        return command;
    }
}
