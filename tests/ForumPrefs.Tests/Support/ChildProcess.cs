using System.Diagnostics;

namespace ForumPrefs.Tests.Support;

/// <summary>Runs forumprefs as a separate process and kills it hard (SIGKILL) after a delay, as a crash would.</summary>
public static class ChildProcess
{
    /// <returns>True when the process was killed, false when it finished first.</returns>
    public static Task<bool> RunAndKillAsync(string workingDirectory, TimeSpan after, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        return RunAndKillWhenAsync(workingDirectory, () => clock.Elapsed >= after, environment, args);
    }

    /// <summary>Runs forumprefs and kills it hard as soon as <paramref name="when"/> holds (checked every 10 ms).</summary>
    /// <returns>True when the process was killed, false when it finished first.</returns>
    public static async Task<bool> RunAndKillWhenAsync(string workingDirectory, Func<bool> when, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var child = Start(workingDirectory, environment, args);
        _ = child.StandardOutput.ReadToEndAsync();
        _ = child.StandardError.ReadToEndAsync();
        var killed = false;
        while (!child.WaitForExit(10))
        {
            if (!when())
                continue;
            child.Kill(entireProcessTree: true);
            killed = true;
            break;
        }
        await child.WaitForExitAsync();
        return killed;
    }

    /// <summary>How long forumprefs takes, start-up included, to run <paramref name="args"/> to its end (kill delays are chosen within it).</summary>
    public static async Task<TimeSpan> TimeAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var killed = await RunAndKillAsync(workingDirectory, TimeSpan.FromMinutes(5), environment, args);
        return killed ? throw new TimeoutException($"forumprefs {string.Join(' ', args)} ran over 5 minutes") : clock.Elapsed;
    }

    /// <summary>Runs forumprefs to its end and returns its exit code and output.</summary>
    public static async Task<Cli.Outcome> RunAsync(string workingDirectory, params string[] args)
    {
        using var child = Start(workingDirectory, null, args);
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        return new Cli.Outcome(child.ExitCode, await output, await error);
    }

    private static Process Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forumprefs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return Process.Start(start)!;
    }
}
