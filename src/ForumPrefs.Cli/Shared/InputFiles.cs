using ForumPrefs.Sources.Html;

namespace ForumPrefs.Cli;

/// <summary>Checks of what users name on the command line, shared by the verbs that read files.</summary>
internal static class InputFiles
{
    /// <summary>The paths resolved from the working directory; the first missing one is a usage error.</summary>
    public static IReadOnlyList<string> Existing(CliIO io, IEnumerable<string> paths)
    {
        var resolved = paths.Select(io.Resolve).ToList();
        return resolved.FirstOrDefault(p => !File.Exists(p)) is { } missing
            ? throw new UsageException($"no such file: {missing}")
            : resolved;
    }

    /// <summary>A built-in profile by name, or a profile file.</summary>
    public static HtmlProfile Profile(CliIO io, string nameOrPath)
    {
        try
        {
            var path = io.Resolve(nameOrPath);
            return HtmlProfile.Load(File.Exists(path) ? path : nameOrPath);
        }
        catch (HtmlProfileException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>When a file was written: the time its scores were read, unless told otherwise.</summary>
    public static DateTimeOffset Written(string path) => new(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
}
