namespace ForumPrefs.Cli;

/// <summary>A bad option or argument: reported in one line with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
