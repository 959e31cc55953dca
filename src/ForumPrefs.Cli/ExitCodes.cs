namespace ForumPrefs.Cli;

/// <summary>The exit codes every verb uses (documented in the README).</summary>
public static class ExitCodes
{
    public const int Done = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
    public const int DoneWithSkips = 3;
    public const int Interrupted = 130;
}
