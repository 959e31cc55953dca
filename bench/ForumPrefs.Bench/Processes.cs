using System.Diagnostics;

namespace ForumPrefs.Bench;

/// <summary>A benchmark that cannot run here (a missing tool or module), said in one line with what to install.</summary>
public sealed class BenchException(string message) : Exception(message);

/// <summary>One stage run as its own process: its size in MB, its wall time and its own peak RSS.</summary>
public sealed record Measured(string Stage, double Megabytes, double Seconds, long PeakRssMb)
{
    public double Rate => Megabytes / Seconds;
}

/// <summary>
/// A stage to time: its command, and the store it writes, deleted after each run (null when it writes none); with
/// <paramref name="KeepLastStore"/> the last run's store stays for the stages that read it.
/// </summary>
public sealed record Stage(string Name, double Megabytes, string[] Command, string? Store = null, bool KeepLastStore = false);

/// <summary>External stages (the CLI, zstd, Python references), each timed under /usr/bin/time.</summary>
public static class Processes
{
    /// <summary>One stage on its own: the better of two runs (the first also warms the page cache).</summary>
    /// <param name="freshStore">Each run starts from an empty --db store; the last run's store is kept.</param>
    public static Measured Measure(string stage, double size, bool freshStore, params string[] command)
    {
        var store = freshStore && command.Contains("--db") ? command[Array.IndexOf(command, "--db") + 1] : null;
        return MeasureInTurn(new Stage(stage, size, command, store, KeepLastStore: true))[0];
    }

    /// <summary>
    /// Stages compared with each other, run in turn twice (A B C, A B C), each keeping its faster run. This machine's
    /// speed drifts by ±15 % over tens of seconds: a stage run twice before the next one started compared one minute
    /// with another, where in turn the drift reaches every stage alike.
    /// </summary>
    public static Measured[] MeasureInTurn(params Stage[] stages)
    {
        var best = new Measured[stages.Length];
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < stages.Length; i++)
            {
                var run = MeasureOnce(stages[i].Name, stages[i].Megabytes, stages[i].Command);
                if (round == 0 || run.Seconds < best[i].Seconds)
                    best[i] = run;
                // Gone at once: the stage's next run starts from an empty store, and the store's pages leave the page
                // cache, so the next stage meets the cache this one met (the scratch folder starts empty).
                if (stages[i].Store is { } store && !(round == 1 && stages[i].KeepLastStore))
                    DeleteStore(store);
            }
        }
        return best;
    }

    /// <summary>
    /// Takes generated files' pages out of the page cache (written back first). Cached gigabytes of the bench's own
    /// inputs made every stage's memory slower to get, by how much depending on how full the cache was when it ran: the
    /// 2 GB ingest 5.3 s with an empty cache, 6.3–9.6 s with 10 GB of other files in it (docs/benchmarks.md).
    /// </summary>
    public static void DropFromCache(params string[] paths)
    {
        Run("sync", ""); // dirty pages are not dropped
        foreach (var path in paths)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            // Advice only: where it is refused, the bench runs as unevenly as before, nothing worse.
            _ = posix_fadvise((int)file.SafeFileHandle.DangerousGetHandle(), 0, 0, 4 /* POSIX_FADV_DONTNEED */);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int posix_fadvise(int fd, long offset, long length, int advice);

    /// <summary>A SQLite file with its WAL and shared-memory files, so the next run starts from an empty store.</summary>
    private static void DeleteStore(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            File.Delete(path + suffix);
    }

    public static Measured MeasureOnce(string stage, double size, string[] command)
    {
        if (!File.Exists("/usr/bin/time"))
            throw new BenchException("benchmarks need /usr/bin/time (Debian package 'time')");
        // What the generator and earlier stages wrote is written back first: the kernel does it 30 s later, and in the
        // middle of whichever stage then runs (a generated 1 GB file's writeback landed in the timed runs).
        Run("sync", "");
        var report = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var part in new[] { "-o", report, "-f", "%e %M" }.Concat(command))
            start.ArgumentList.Add(part);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new BenchException($"{stage} failed: {error.Trim()}");
        var fields = File.ReadAllLines(report).Last().Split(' ');
        File.Delete(report);
        return new Measured(stage, size, double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[1]) >> 10);
    }

    public static void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })
            ?? throw new BenchException($"cannot start {program}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new BenchException($"{program} failed: {error.Trim()}");
    }
}
