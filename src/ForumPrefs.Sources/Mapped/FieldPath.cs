using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Sources.Mapped;

/// <summary>Reads a mapped field out of a record: a dotted path of keys, or <c>$key</c> (the key the record stands under).</summary>
public static class FieldPath
{
    public const string Key = "$key";

    public static bool IsValid(string path) => path == Key || path.Split('.').All(step => step.Length > 0);

    public static JsonNode? Node(JsonNode? record, string? path, string? key = null)
    {
        if (path is null || record is null)
            return null;
        if (path == Key)
            return key is null ? null : JsonValue.Create(key);
        var node = record;
        foreach (var step in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(step, out node))
                return null;
        }
        return node;
    }

    /// <summary>The field as text: strings as they are, numbers and booleans as JSON writes them; null when absent, null or empty.</summary>
    public static string? Text(JsonNode? record, string? path, string? key = null) =>
        Node(record, path, key) is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } s ? s : null,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => null,
            }
            : null;

    public static double? Number(JsonNode? record, string? path) =>
        Text(record, path) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number) ? number : null;

    /// <summary>true, 1 or "true" (any case) are true; anything else, or nothing, is false.</summary>
    public static bool Flag(JsonNode? record, string? path) =>
        Text(record, path) is { } text && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1");

    /// <summary>
    /// A time: Unix seconds, or milliseconds when the number is past the year 5138 as seconds (as dumps of some eras
    /// write), or ISO 8601 text. Null when absent; false when present but unreadable.
    /// </summary>
    public static bool TryTime(JsonNode? record, string? path, out DateTimeOffset? time)
    {
        time = null;
        if (Text(record, path) is not { } text)
            return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            if (!double.IsFinite(number) || number <= 0)
                return false;
            var seconds = number > 1e11 ? number / 1000 : number;
            if (seconds > 253402300799)
                return false;
            time = DateTimeOffset.FromUnixTimeSeconds((long)seconds);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed.ToUniversalTime();
            return true;
        }
        return false;
    }
}
