using ForumPrefs.Bench;
using ForumPrefs.Cli.Output;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary>
/// <c>forumprefs bench NAME</c>: every benchmark of ForumPrefs.Bench, each printing its figures and the ratio to a
/// reference measured in the same run. One verb per benchmark, built the same way from its description.
/// </summary>
internal sealed class BenchCommand : Command
{
    public BenchCommand(CliIO io) : base("bench", "Benchmarks with a reference measured in the same run")
    {
        foreach (var benchmark in Benchmarks.All)
            Subcommands.Add(Verb(io, benchmark));
    }

    private static Command Verb(CliIO io, Benchmark benchmark)
    {
        var format = CommonOptions.Format();
        var options = benchmark.Options.Select(o => (o, Option: new Option<int>(o.Name) { Description = o.Description, DefaultValueFactory = _ => o.Default })).ToList();
        var file = benchmark.FileOption is { } spec ? new Option<FileInfo?>(spec.Name) { Description = spec.Description, HelpName = "FILE" } : null;
        var command = new Command(benchmark.Name, benchmark.Description);
        foreach (var (_, option) in options)
            command.Options.Add(option);
        if (file is not null)
            command.Options.Add(file);
        command.Options.Add(format);
        command.SetAction(async parse =>
        {
            var values = new Dictionary<string, int>();
            foreach (var (spec, option) in options)
            {
                var value = parse.GetValue(option);
                values[spec.Name] = value >= spec.Min ? value : throw new UsageException($"{spec.Name} must be at least {spec.Min:N0}");
            }
            var path = file is null ? null : parse.GetValue(file) is { } given
                ? given.Exists ? given.FullName : throw new UsageException($"{file.Name}: no such file: {given.FullName}")
                : null;
            var run = new BenchValues(values, path);
            io.Error.WriteLine(benchmark.Announce(run));
            var report = await ScratchFolder.UseAsync(benchmark.ScratchBytes(run), folder => benchmark.RunAsync(folder, run));
            ResultWriter.Write(io.Out, report.Table, parse.GetValue(format));
            foreach (var note in report.Notes)
                io.Out.WriteLine(note);
            // Figures of a plain build and of a ReadyToRun publish differ by 5–10 %: say which one this was.
            io.Out.WriteLine($"forumprefs: {BuildKind.OfStages()} ({AppContext.BaseDirectory.TrimEnd('/')})");
            return ExitCodes.Done;
        });
        return command;
    }
}
