using System.Reflection.PortableExecutable;

namespace ForumPrefs.Bench;

/// <summary>
/// Which build a benchmark's figures come from. A ReadyToRun publish carries precompiled code, a plain build is
/// compiled as it runs, and on these short runs on two cores that is 5–10 % of an ingest's time: figures are only
/// comparable between runs of the same kind.
/// </summary>
public static class BuildKind
{
    /// <summary>"ReadyToRun publish" or "plain build", for the assembly file at <paramref name="path"/>.</summary>
    public static string Of(string path)
    {
        using var file = File.OpenRead(path);
        using var reader = new PEReader(file);
        // Precompiled images carry a ReadyToRun header in the CLI header's managed-native slot.
        var precompiled = reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        return precompiled ? "ReadyToRun publish" : "plain build";
    }

    /// <summary>The kind of the forumprefs.dll that the benchmarks run as their stages.</summary>
    public static string OfStages() => Of(Path.Combine(AppContext.BaseDirectory, "forumprefs.dll"));
}
