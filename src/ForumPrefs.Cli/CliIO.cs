namespace ForumPrefs.Cli;

/// <summary>
/// Where a verb writes: data and results to <see cref="Out"/>, progress and warnings to <see cref="Error"/>.
/// Tests pass string writers; the real program passes the console.
/// </summary>
public sealed record CliIO(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, string WorkingDirectory)
{
    public static CliIO FromConsole() =>
        new(Console.Out, Console.Error, !Console.IsErrorRedirected, Environment.CurrentDirectory);

    /// <summary>A path as the user meant it: relative paths are taken from the working directory.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);
}
