using ForumPrefs.Cli;
using ForumPrefs.Cli.Output;
using System.CommandLine;
using System.Globalization;

namespace ForumPrefs.Bench;

/// <summary>
/// <c>forumprefs-bench NAME</c> (<c>dotnet run -c Release --project bench/ForumPrefs.Bench -- NAME</c>): every
/// benchmark, each printing its figures and the ratio to a reference measured in the same run. One verb per
/// benchmark, built the same way from its description. The shipped command line does not carry them; they run the
/// forumprefs.dll built beside them as their stages.
/// </summary>
public static class BenchApp
{
    public static async Task<int> RunAsync(string[] args, CliIO io)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var root = new RootCommand("ForumPrefs benchmarks, each next to a reference measured in the same run");
        foreach (var benchmark in Benchmarks.All)
            root.Subcommands.Add(Verb(io, benchmark));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            io.Error.WriteLine($"error: {parsed.Errors[0].Message.ReplaceLineEndings(" ")} (see 'forumprefs-bench --help')");
            return ExitCodes.BadUsage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is UsageException or BenchException or IOException)
        {
            io.Error.WriteLine($"error: {ex.Message.ReplaceLineEndings(" ")}");
            return ex is UsageException ? ExitCodes.BadUsage : ExitCodes.Failed;
        }
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
