using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ForumPrefs.Sources.OpenAssistant;

/// <summary>
/// One message of an OpenAssistant conversation tree, in either export layout. <see cref="Rank"/> is the human ranking
/// among its siblings (0 = best; null where the siblings were not ranked). <see cref="Level"/> counts from the tree's
/// first prompt (0), or is null where the layout does not tell it (the flat one).
/// </summary>
public sealed record OasstMessage(
    string Id,
    string? ParentId,
    string TreeId,
    string Role,
    string Text,
    string? Lang,
    DateTimeOffset? Created,
    string? UserId,
    int? Rank,
    bool Synthetic,
    string? ModelName,
    bool? ReviewResult,
    int ReviewCount,
    bool Deleted,
    string? TreeState,
    IReadOnlyDictionary<string, int> Emojis,
    IReadOnlyDictionary<string, (double Value, int Count)> Labels,
    int? Level)
{
    /// <summary>Thumbs up minus thumbs down: the message's vote score.</summary>
    public int Score => Emojis.GetValueOrDefault("+1") - Emojis.GetValueOrDefault("-1");

    /// <summary>Everything beyond the common fields, as the store keeps it (keys in a fixed order, so equal messages give equal text).</summary>
    public string Meta()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("role", Role);
            WriteOrNull(json, "lang", Lang);
            if (Rank is { } rank) json.WriteNumber("rank", rank); else json.WriteNull("rank");
            json.WriteBoolean("synthetic", Synthetic);
            WriteOrNull(json, "model_name", ModelName);
            if (ReviewResult is { } review) json.WriteBoolean("review_result", review); else json.WriteNull("review_result");
            json.WriteNumber("review_count", ReviewCount);
            json.WriteBoolean("deleted", Deleted);
            WriteOrNull(json, "tree_state", TreeState);
            json.WriteStartObject("emojis");
            foreach (var (name, count) in Emojis.OrderBy(e => e.Key, StringComparer.Ordinal))
                json.WriteNumber(name, count);
            json.WriteEndObject();
            json.WriteStartObject("labels");
            foreach (var (name, (value, count)) in Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(name);
                json.WriteNumber("value", value);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name); else json.WriteString(name, value);
    }
}
