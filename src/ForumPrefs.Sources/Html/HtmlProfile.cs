using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// How to read one forum's pages: XPath selectors for the thread, the post, the comments and their fields. A field is
/// an XPath relative to its node (ending in /@name to read an attribute), optionally with a regular expression whose
/// first group is kept. Profiles are JSON; two are built in (old-reddit, stackexchange), and users add their own.
/// </summary>
public sealed record HtmlProfile
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Source name stored with the threads (e.g. reddit, stackexchange, or the forum's own).</summary>
    public required string Source { get; init; }
    /// <summary>Must match somewhere on the page, or the page is not this profile's layout.</summary>
    public required string Layout { get; init; }
    /// <summary>The forum's name, read from the page; or a fixed name in <see cref="ForumName"/>.</summary>
    public Field? Forum { get; init; }
    public string? ForumName { get; init; }
    public required NodeFields Post { get; init; }
    public required NodeFields Comments { get; init; }
    /// <summary>Stubs for comments the page does not show ("load more comments"): counted, never guessed.</summary>
    public string? MoreStubs { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new FieldConverter() },
    };

    public static HtmlProfile Parse(string json, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize<HtmlProfile>(json, Json) ?? throw new HtmlProfileException($"profile {origin} is empty");
        }
        catch (JsonException ex)
        {
            throw new HtmlProfileException($"profile {origin} is not valid: {ex.Message.Split(" Path:")[0]}");
        }
    }

    /// <summary>A built-in profile by name, or a profile file by path.</summary>
    public static HtmlProfile Load(string nameOrPath)
    {
        if (File.Exists(nameOrPath))
            return Parse(File.ReadAllText(nameOrPath), nameOrPath);
        var resource = typeof(HtmlProfile).Assembly.GetManifestResourceStream($"ForumPrefs.Sources.Html.Profiles.{nameOrPath}.json");
        if (resource is null)
            throw new HtmlProfileException($"no profile '{nameOrPath}': use old-reddit, stackexchange or the path of a profile file");
        using var reader = new StreamReader(resource);
        return Parse(reader.ReadToEnd(), nameOrPath);
    }

    public static IReadOnlyList<string> BuiltIn => ["old-reddit", "stackexchange"];
}

/// <summary>The node (XPath from the page) and how to read each field from it.</summary>
public sealed record NodeFields
{
    public required string Node { get; init; }
    public required Field Id { get; init; }
    public Field? Parent { get; init; }
    public Field? Title { get; init; }
    public required Field Body { get; init; }
    public Field? Author { get; init; }
    public required Field Score { get; init; }
    public required Field Time { get; init; }
    /// <summary>Matches (relative to the node) when this answer is the accepted one.</summary>
    public string? Accepted { get; init; }
}

/// <summary>An XPath, optionally with a pattern whose first group is the value.</summary>
public sealed record Field(string XPath, string? Pattern = null);

public sealed class HtmlProfileException(string message) : SourceUsageException(message);

/// <summary>A field is written as a plain XPath string, or as {"xpath": ..., "pattern": ...}.</summary>
internal sealed class FieldConverter : JsonConverter<Field>
{
    public override Field Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new Field(reader.GetString()!);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        return new Field(root.GetProperty("xpath").GetString()!, root.TryGetProperty("pattern", out var p) ? p.GetString() : null);
    }

    public override void Write(Utf8JsonWriter writer, Field value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new { xpath = value.XPath, pattern = value.Pattern }, options);
}
