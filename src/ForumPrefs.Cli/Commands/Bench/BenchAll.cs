using ForumPrefs.Cli.Benchmarks;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Bench;

/// <summary><c>forumprefs bench all</c>: every stage on one generated dump.</summary>
internal static class BenchAll
{
    public static Command Create(CliIO io)
    {
        var megabytes = new Option<int>("--mb") { Description = "Decompressed size of the generated dump", HelpName = "MB", DefaultValueFactory = _ => 500 };
        var format = CommonOptions.Format();
        var command = new Command("all", "Every stage on one generated dump, with references timed in the same run (needs zstd, /usr/bin/time, python3-zstandard)") { megabytes, format };
        command.SetAction(parse =>
        {
            return ScratchFolder.Use(folder =>
            {
            io.Error.WriteLine($"bench all: {parse.GetValue(megabytes):N0} MB dump, {Environment.ProcessorCount} cores");
            var stages = EndToEndBenchmark.Run(folder, parse.GetValue(megabytes));
            ResultWriter.Write(io.Out, new QueryResult(["stage", "input", "seconds", "rate", "peak_rss_mb", "reference", "ratio_to_reference"],
                stages.Select(s => new object?[] { s.Name, s.Input, Math.Round(s.Seconds, 2), s.Rate, s.PeakRssMb, s.Reference, s.Ratio is { } r ? Math.Round(r, 2) : null }).ToList()),
                parse.GetValue(format));
            return ExitCodes.Done;
            });
        });
        return command;
    }
}
