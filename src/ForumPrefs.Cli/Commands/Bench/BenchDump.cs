using ForumPrefs.Cli.Benchmarks;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Bench;

/// <summary><c>forumprefs bench dump</c>: dump reading next to the zstd cli.</summary>
internal static class BenchDump
{
    public static Command Create(CliIO io)
    {
        var megabytes = new Option<int>("--mb") { Description = "Decompressed size of the generated dump", HelpName = "MB", DefaultValueFactory = _ => 1000 };
        var format = CommonOptions.Format();
        var command = new Command("dump", "Reddit dump reading: filter-only and full ingest MB/s next to zstd -d --long=31") { megabytes, format };
        command.SetAction(parse =>
        {
            var size = parse.GetValue(megabytes);
            if (size < 1)
                throw new UsageException("--mb must be at least 1");
            return ScratchFolder.Use(folder =>
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
            });
        });
        return command;
    }
}
