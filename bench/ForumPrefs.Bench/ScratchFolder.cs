namespace ForumPrefs.Bench;

/// <summary>
/// A temporary folder for a benchmark's files, removed however the benchmark ends — unless FORUMPREFS_BENCH_KEEP=1,
/// which keeps it (and says where) so its generated inputs can be profiled or re-run by hand.
/// </summary>
public static class ScratchFolder
{
    public static async Task<T> UseAsync<T>(Func<string, Task<T>> benchmark)
    {
        var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
        try
        {
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
}
