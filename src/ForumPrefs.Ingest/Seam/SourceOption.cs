namespace ForumPrefs.Ingest.Seam;

public enum SourceOptionKind { Text, Flag, Date, Number }

/// <summary>
/// One option of a source, declared once: the command line makes <c>--NAME</c> of it for <c>ingest</c> and
/// <c>run</c>, and hands its value back in <see cref="SourceArguments"/>. <see cref="Required"/> holds for
/// <c>ingest</c>; in <c>run</c> the source's settings ask for it when the source is used.
/// </summary>
public sealed record SourceOption(string Name, string Description, SourceOptionKind Kind = SourceOptionKind.Text,
    bool Required = false, string? Default = null, string HelpName = "VALUE");
