namespace ForumPrefs.Bench;

/// <summary>
/// A temporary folder for a benchmark's files, removed however the benchmark ends — unless FORUMPREFS_BENCH_KEEP=1,
/// which keeps it (and says where) so its generated inputs can be profiled or re-run by hand.
/// </summary>
public static class ScratchFolder
{
    /// <param name="neededBytes">About how much the benchmark writes there: a file system with less room free is refused
    /// at once, in one line, instead of filling up minutes into the run.</param>
    public static async Task<T> UseAsync<T>(long neededBytes, Func<string, Task<T>> benchmark)
    {
        var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
        try
        {
            RequireRoom(Path.GetDirectoryName(folder)!, neededBytes, new DriveInfo(folder).AvailableFreeSpace);
            return await benchmark(folder);
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("FORUMPREFS_BENCH_KEEP") == "1")
                Console.Error.WriteLine($"kept {folder} (FORUMPREFS_BENCH_KEEP=1)");
            else
                Directory.Delete(folder, recursive: true);
        }
    }

    public static void RequireRoom(string folder, long neededBytes, long freeBytes)
    {
        if (freeBytes < neededBytes)
            throw new BenchException($"this benchmark writes about {Gigabytes(neededBytes)} under {folder}, whose file system has " +
                $"{Gigabytes(freeBytes)} free: choose a smaller size, or set TMPDIR to a folder with more room");
    }

    private static string Gigabytes(long bytes) => $"{bytes / 1e9:0.0} GB";
}
