namespace ForumPrefs.Cli.Commands.Bench;

/// <summary>A temporary folder for a benchmark's files, removed however the benchmark ends.</summary>
internal static class ScratchFolder
{
    public static async Task<int> UseAsync(Func<string, Task<int>> benchmark)
    {
        var folder = Directory.CreateTempSubdirectory("forumprefs-bench-").FullName;
        try
        {
            return await benchmark(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static int Use(Func<string, int> benchmark) => UseAsync(folder => Task.FromResult(benchmark(folder))).GetAwaiter().GetResult();
}
