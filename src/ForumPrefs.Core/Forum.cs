namespace ForumPrefs.Core;

/// <summary>A community on one source, e.g. reddit / explainlikeimfive. Names are stored lower-case.</summary>
public sealed record Forum(string Source, string Name)
{
    public string Source { get; } = Normalize(Source, nameof(Source));
    public string Name { get; } = Normalize(Name, nameof(Name));

    public override string ToString() => $"{Source}/{Name}";

    private static string Normalize(string value, string field) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"forum {field.ToLowerInvariant()} must not be empty")
            : value.Trim().ToLowerInvariant();
}
