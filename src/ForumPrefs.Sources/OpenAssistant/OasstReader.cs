using System.IO.Compression;
using System.Text.Json;

namespace ForumPrefs.Sources.OpenAssistant;

/// <summary>
/// Reads OpenAssistant exports, plain or .gz, in both layouts, told apart line by line: the tree layout (one tree a
/// line: <c>message_tree_id</c>, <c>tree_state</c>, a nested <c>prompt</c> with <c>replies</c>) and the flat layout (one
/// message a line, with <c>parent_id</c>). Emojis and labels are read in the export's own form
/// (<c>{"+1": 3}</c>, <c>{"spam": {"value": 0, "count": 3}}</c>) and in the column form Hugging Face datasets write
/// (<c>{"name": [...], "count": [...]}</c>). A bad line, or a bad message inside a tree (with the replies under it), is
/// counted under its kind and never stops the file.
/// </summary>
public sealed class OasstReader : ISkipCounter
{
    public const string MalformedJson = "malformed_json";
    public const string NotAMessage = "not_a_message";
    public const string MissingField = "missing_field";
    public const string UnderBadMessage = "under_a_bad_message";
    public const string Unreadable = "unreadable_file";
    /// <summary>A rank below 0 or past its siblings: the message is kept, unranked.</summary>
    public const string RankOutOfRange = "rank_out_of_range";
    /// <summary>Without its siblings at hand (the flat layout), a rank past this is no rank.</summary>
    private const int MaxFlatRank = 99;

    /// <summary>Skipped records by kind, with the first few examples.</summary>
    public Dictionary<string, long> Skipped { get; } = [];
    public List<string> Examples { get; } = [];

    /// <summary>Lines read so far (for a checkpoint).</summary>
    public long Lines { get; private set; }

    /// <summary>The messages of every line after the first <paramref name="skipLines"/>, with the line each came from.</summary>
    public IEnumerable<(long Line, OasstMessage Message)> Read(string path, long skipLines = 0)
    {
        using var file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new StreamReader(stream);
        Lines = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                Count(Unreadable, $"line {Lines + 1}: {ex.Message}");
                yield break;
            }
            if (line is null)
                yield break;
            Lines++;
            if (Lines <= skipLines || string.IsNullOrWhiteSpace(line))
                continue;
            foreach (var message in Parse(line, Lines))
                yield return (Lines, message);
        }
    }

    private List<OasstMessage> Parse(string line, long number)
    {
        var messages = new List<OasstMessage>();
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                Count(NotAMessage, $"line {number}: not a JSON object");
            else if (root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.Object)
                Walk(prompt, null, Text(root, "message_tree_id"), Text(root, "tree_state"), 0, messages, number, 1);
            else if (root.TryGetProperty("message_id", out _))
            {
                if (Message(root, Text(root, "parent_id"), Text(root, "message_tree_id"), Text(root, "tree_state"), null, number, null) is { } message)
                    messages.Add(message);
            }
            else
                Count(NotAMessage, $"line {number}: neither a tree (prompt) nor a message (message_id)");
        }
        catch (JsonException ex)
        {
            Count(MalformedJson, $"line {number}: {ex.Message}");
        }
        return messages;
    }

    private void Walk(JsonElement node, string? parentId, string? treeId, string? treeState, int level, List<OasstMessage> messages, long number,
        int siblings)
    {
        var message = Message(node, parentId, treeId, treeState, level, number, siblings);
        var replies = node.TryGetProperty("replies", out var r) && r.ValueKind == JsonValueKind.Array ? r : default;
        if (message is null)
        {
            // The replies cannot be placed without their parent: counted, not guessed.
            if (replies.ValueKind == JsonValueKind.Array)
                Count(UnderBadMessage, $"line {number}: {Descendants(replies)} replies under a message that could not be read", Descendants(replies));
            return;
        }
        messages.Add(message);
        if (replies.ValueKind == JsonValueKind.Array)
            foreach (var reply in replies.EnumerateArray())
                Walk(reply, message.Id, message.TreeId, treeState, level + 1, messages, number, replies.GetArrayLength());
    }

    private static int Descendants(JsonElement replies) => replies.ValueKind != JsonValueKind.Array ? 0
        : replies.EnumerateArray().Sum(r => 1 + (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("replies", out var more) ? Descendants(more) : 0));

    /// <param name="siblings">How many replies share the parent (the tree layout), or null where unknown (flat).</param>
    private OasstMessage? Message(JsonElement m, string? parentId, string? treeId, string? treeState, int? level, long number, int? siblings)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            Count(NotAMessage, $"line {number}: a message that is not an object");
            return null;
        }
        var id = Text(m, "message_id");
        var text = Text(m, "text");
        var role = Text(m, "role");
        if (id is null || text is null || role is null)
        {
            Count(MissingField, $"line {number}: a message without {(id is null ? "message_id" : text is null ? "text" : "role")}");
            return null;
        }
        parentId ??= Text(m, "parent_id");
        treeId ??= Text(m, "message_tree_id") ?? (parentId is null ? id : null);
        if (treeId is null)
        {
            Count(MissingField, $"line {number}: message {id} names no message_tree_id");
            return null;
        }
        var rank = Int(m, "rank");
        if (rank is { } r && (r < 0 || r >= (siblings ?? MaxFlatRank + 1)))
        {
            Count(RankOutOfRange, $"line {number}: message {id} has rank {r}{(siblings is { } n ? $" among {n} replies" : "")}; kept unranked");
            rank = null;
        }
        return new OasstMessage(id, parentId, treeId, role, text, Text(m, "lang"),
            Text(m, "created_date") is { } created && DateTimeOffset.TryParse(created, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null,
            Text(m, "user_id"), rank, Bool(m, "synthetic") ?? false, Text(m, "model_name"), Bool(m, "review_result"),
            Int(m, "review_count") ?? 0, Bool(m, "deleted") ?? false, treeState ?? Text(m, "tree_state"),
            Emojis(m), Labels(m), level);
    }

    /// <summary>{"+1": 3} or, as Hugging Face writes it, {"name": ["+1"], "count": [3]}.</summary>
    private static Dictionary<string, int> Emojis(JsonElement m)
    {
        var emojis = new Dictionary<string, int>();
        if (!m.TryGetProperty("emojis", out var e) || e.ValueKind != JsonValueKind.Object)
            return emojis;
        if (Columns(e, "name") is { } names && Columns(e, "count") is { } counts)
        {
            for (var i = 0; i < Math.Min(names.Count, counts.Count); i++)
                if (names[i].ValueKind == JsonValueKind.String && counts[i].TryGetInt32(out var n))
                    emojis[names[i].GetString()!] = n;
            return emojis;
        }
        foreach (var p in e.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var n))
                emojis[p.Name] = n;
        return emojis;
    }

    /// <summary>{"spam": {"value": 0.0, "count": 3}} or {"name": ["spam"], "value": [0.0], "count": [3]}.</summary>
    private static Dictionary<string, (double, int)> Labels(JsonElement m)
    {
        var labels = new Dictionary<string, (double, int)>();
        if (!m.TryGetProperty("labels", out var l) || l.ValueKind != JsonValueKind.Object)
            return labels;
        if (Columns(l, "name") is { } names && Columns(l, "value") is { } values)
        {
            var counts = Columns(l, "count");
            for (var i = 0; i < Math.Min(names.Count, values.Count); i++)
                if (names[i].ValueKind == JsonValueKind.String && values[i].TryGetDouble(out var v))
                    labels[names[i].GetString()!] = (v, counts is not null && i < counts.Count && counts[i].TryGetInt32(out var c) ? c : 0);
            return labels;
        }
        foreach (var p in l.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("value", out var v) && v.TryGetDouble(out var value))
                labels[p.Name] = (value, p.Value.TryGetProperty("count", out var c) && c.TryGetInt32(out var count) ? count : 0);
        return labels;
    }

    private static List<JsonElement>? Columns(JsonElement e, string name) =>
        e.TryGetProperty(name, out var column) && column.ValueKind == JsonValueKind.Array ? column.EnumerateArray().ToList() : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private void Count(string kind, string example, long count = 1)
    {
        Skipped[kind] = Skipped.GetValueOrDefault(kind) + count;
        if (Examples.Count < 5)
            Examples.Add($"{kind}: {example}");
    }
}
