using ForumPrefs.Tests.Support;
using System.Diagnostics;

namespace ForumPrefs.Tests.Cli;

/// <summary>The CI entry point: it sets CI=true itself, and its last line counts skipped tests too.</summary>
public sealed class CiScriptTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ForumPrefs.sln")))
                return dir.FullName;
        throw new InvalidOperationException("not inside the repository");
    }

    [Fact]
    public void The_run_script_sets_CI_itself_before_the_tests_run()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository(), ".ci", "run"));
        var export = Array.FindIndex(lines, l => l.Trim() == "export CI=true");
        var test = Array.FindIndex(lines, l => l.TrimStart().StartsWith("dotnet test ", StringComparison.Ordinal));

        Assert.InRange(export, 0, test - 1);
        Assert.Contains(lines, l => l.Contains("echo \"$passed passed, $failed failed, $skipped skipped\""));
    }

    [Fact]
    public void Skipped_tests_are_counted_from_the_trx_files()
    {
        File.WriteAllText(_folder.File("a.trx"), """<TestRun><ResultSummary><Counters total="9" executed="7" passed="6" failed="1" notExecuted="2" /></ResultSummary></TestRun>""");
        File.WriteAllText(_folder.File("b.trx"), """<TestRun><ResultSummary><Counters total="4" executed="4" passed="4" failed="0" notExecuted="0" /></ResultSummary></TestRun>""");
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository(), ".ci", "count-trx"), _folder.Path]) { RedirectStandardOutput = true };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();

        Assert.Equal("10 1 2 2", output);
    }
}
