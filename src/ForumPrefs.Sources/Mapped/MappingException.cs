namespace ForumPrefs.Sources.Mapped;

/// <summary>A mapping that cannot be used: said in one line before anything is written.</summary>
public sealed class MappingException(string message) : SourceUsageException(message);
