namespace ForumPrefs.Sources;

/// <summary>
/// The base of every source's own errors (a server that refuses, a mapping or profile that cannot be used). The
/// command line prints one as one line and exits 1, without a list of each source's exception types.
/// </summary>
public abstract class SourceException : Exception
{
    protected SourceException(string message) : base(message) { }
    protected SourceException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A source's input named wrongly (a bad mapping, profile or option value): the command line exits 2.</summary>
public class SourceUsageException(string message) : SourceException(message);
