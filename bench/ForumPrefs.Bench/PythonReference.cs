using System.Diagnostics;

namespace ForumPrefs.Bench;

/// <summary>The Python reference scripts (References/*.py, copied beside the program) and the modules they need.</summary>
public static class PythonReference
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The script's path, after checking that python3 and each module is there (else one line naming what to install).</summary>
    public static string Script(string name, params (string Module, string Install)[] modules)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "bench-references", name);
        if (!File.Exists(path))
            throw new BenchException($"the reference script {name} is missing beside the program (expected {path})");
        if (!File.Exists(Python))
            throw new BenchException($"{Python} is missing: apt-get install python3");
        foreach (var (module, install) in modules)
        {
            using var check = Process.Start(new ProcessStartInfo(Python, ["-c", $"import {module}"]) { RedirectStandardError = true })!;
            check.StandardError.ReadToEnd();
            check.WaitForExit();
            if (check.ExitCode != 0)
                throw new BenchException($"the Python reference needs the module '{module}': install {install}");
        }
        return path;
    }
}
