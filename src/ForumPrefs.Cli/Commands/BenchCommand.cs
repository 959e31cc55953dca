using ForumPrefs.Cli.Benchmarks;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;
using System.Diagnostics;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs bench</c>: benchmarks that print their figures and the ratio to a reference timed in the same run.</summary>
internal sealed class BenchCommand : Command
{
    public BenchCommand(CliIO io) : base("bench", "Benchmarks with a reference measured in the same run")
    {
        Subcommands.Add(StoreCommand(io));
        Subcommands.Add(PairsCommand(io));
        Subcommands.Add(DumpCommand(io));
        Subcommands.Add(TrainCommand(io));
        Subcommands.Add(AllCommand(io));
    }

    private static Command AllCommand(CliIO io)
    {
        var megabytes = new Option<int>("--mb") { Description = "Decompressed size of the generated dump", HelpName = "MB", DefaultValueFactory = _ => 500 };
        var format = CommonOptions.Format();
        var command = new Command("all", "Every stage on one generated dump, with references timed in the same run (needs zstd, /usr/bin/time, python3-zstandard)") { megabytes, format };
        command.SetAction(parse =>
        {
            var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
            try
            {
                io.Error.WriteLine($"bench all: {parse.GetValue(megabytes):N0} MB dump, {Environment.ProcessorCount} cores");
                var stages = EndToEndBenchmark.Run(folder, parse.GetValue(megabytes));
                ResultWriter.Write(io.Out, new QueryResult(["stage", "input", "seconds", "rate", "peak_rss_mb", "reference", "ratio_to_reference"],
                    stages.Select(s => new object?[] { s.Name, s.Input, Math.Round(s.Seconds, 2), s.Rate, s.PeakRssMb, s.Reference, s.Ratio is { } r ? Math.Round(r, 2) : null }).ToList()),
                    parse.GetValue(format));
                return ExitCodes.Done;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }

    private static Command TrainCommand(CliIO io)
    {
        var steps = new Option<int>("--steps") { Description = "Timed training steps (after 3 warm-up steps)", DefaultValueFactory = _ => 30 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for both runtimes", DefaultValueFactory = _ => Environment.ProcessorCount };
        var format = CommonOptions.Format();
        var command = new Command("train", "Reward-model training steps/s on CPU next to the same model and batch in PyTorch") { steps, threads, format };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(steps);
            var t = parse.GetValue(threads);
            var config = ForumPrefs.Training.TrainingBenchmark.Config;
            io.Error.WriteLine($"bench train: {config.Architecture}, batch {config.BatchSize} pairs ({config.BatchSize * 2} sequences of {config.MaxLength} tokens), AdamW, {t} threads, {n} steps");
            var rows = new List<ForumPrefs.Training.TrainingBenchmark.Row> { ForumPrefs.Training.TrainingBenchmark.TorchSharp(n, t) };
            if (ForumPrefs.Training.TrainingBenchmark.PyTorch(n, t, out var problem) is { } reference)
                rows.Add(reference);
            else
                io.Error.WriteLine($"no PyTorch reference: {problem}");
            var baseline = rows.Count > 1 ? rows[1].StepsPerSecond : double.NaN;
            ResultWriter.Write(io.Out, new QueryResult(["runtime", "steps", "seconds", "steps_per_s", "pairs_per_s", "ratio_to_pytorch"],
                rows.Select(r => new object?[] { r.Runtime, r.Steps, Math.Round(r.Seconds, 2), Math.Round(r.StepsPerSecond, 2),
                    Math.Round(r.StepsPerSecond * config.BatchSize, 1), double.IsNaN(baseline) ? null : Math.Round(r.StepsPerSecond / baseline, 2) }).ToList()),
                parse.GetValue(format));
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command DumpCommand(CliIO io)
    {
        var megabytes = new Option<int>("--mb") { Description = "Decompressed size of the generated dump", HelpName = "MB", DefaultValueFactory = _ => 1000 };
        var format = CommonOptions.Format();
        var command = new Command("dump", "Reddit dump reading: filter-only and full ingest MB/s next to zstd -d --long=31") { megabytes, format };
        command.SetAction(parse =>
        {
            var size = parse.GetValue(megabytes);
            if (size < 1)
                throw new UsageException("--mb must be at least 1");
            var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
            try
            {
                io.Error.WriteLine($"bench dump: generating {size:N0} MB of RC lines, compressing with zstd --long=31, {Environment.ProcessorCount} cores");
                var rows = DumpBenchmark.Run(folder, size);
                var reference = rows[0].Rate;
                ResultWriter.Write(io.Out, new QueryResult(["stage", "mb", "seconds", "mb_per_s", "ratio_to_zstd_cli", "peak_rss_mb"],
                    rows.Select(r => new object?[] { r.Stage, (long)r.Megabytes, Math.Round(r.Seconds, 2), Math.Round(r.Rate, 1), Math.Round(r.Rate / reference, 2), r.PeakRssMb }).ToList()),
                    parse.GetValue(format));
                io.Out.WriteLine($"targets: filter-only >= {DumpBenchmark.FilterTargetRatio:P0} of the zstd CLI ({(rows[1].Rate / reference >= DumpBenchmark.FilterTargetRatio ? "met" : "MISSED")}), " +
                    $"full ingest >= {DumpBenchmark.IngestTargetMbPerSecond} MB/s ({(rows[2].Rate >= DumpBenchmark.IngestTargetMbPerSecond ? "met" : "MISSED")}), peak RSS < 400 MB (.zst: {(rows[2].PeakRssMb < 400 ? "met" : "MISSED")}, the zstd CLI itself needs {rows[0].PeakRssMb:N0} MB for this file's --long=31 window; plain NDJSON: {(rows[3].PeakRssMb < 400 ? "met" : "MISSED")})");
                return ExitCodes.Done;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }

    private static Command PairsCommand(CliIO io)
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
            var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
            try
            {
                io.Error.WriteLine($"bench pairs: {count:N0} posts x 50 answers, {Environment.ProcessorCount} cores");
                var rows = await PairsBenchmark.RunAsync(folder, count);
                var table = new QueryResult(["stage", "rows", "seconds", "rows_per_s", "mb_written", "target_met"],
                    rows.Select(r => new object?[] { r.Stage, r.Rows, Math.Round(r.Seconds, 2), (long)r.Rate, Math.Round(r.MegabytesWritten, 1),
                        r.Rate >= PairsBenchmark.TargetRowsPerSecond ? "yes" : "no" }).ToList());
                ResultWriter.Write(io.Out, table, parse.GetValue(format));
                io.Out.WriteLine($"target {PairsBenchmark.TargetRowsPerSecond:N0} rows/s; peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576:N0} MB");
                return ExitCodes.Done;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }

    private static Command StoreCommand(CliIO io)
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
            var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
            try
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
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }
}
