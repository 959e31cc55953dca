using ForumPrefs.Cli;

namespace ForumPrefs.Tests.Support;

/// <summary>Runs the command line in-process, in a given working folder, capturing stdout and stderr.</summary>
public static class Cli
{
    public sealed record Outcome(int ExitCode, string Out, string Error);

    public static async Task<Outcome> RunAsync(string workingDirectory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefsApp.RunAsync(args, new CliIO(output, error, false, workingDirectory));
        return new Outcome(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the benchmark program (forumprefs-bench) in-process the same way.</summary>
    public static async Task<Outcome> BenchAsync(string workingDirectory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefs.Bench.BenchApp.RunAsync(args, new CliIO(output, error, false, workingDirectory));
        return new Outcome(code, output.ToString(), error.ToString());
    }
}
