namespace ForumPrefs.Bench;

/// <summary>A temporary folder for a benchmark's files, removed however the benchmark ends.</summary>
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
            Directory.Delete(folder, recursive: true);
        }
    }
}
