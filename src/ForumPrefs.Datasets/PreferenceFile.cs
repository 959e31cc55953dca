using ForumPrefs.Core;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ForumPrefs.Datasets;

/// <summary>The preference layouts other tools write, told apart by their columns.</summary>
public enum PreferenceLayout
{
    /// <summary>TRL's standard form: prompt, chosen, rejected as text.</summary>
    Trl,
    /// <summary>TRL's conversational form: message lists (the prompt may be left in chosen and rejected: implicit prompt).</summary>
    TrlConversational,
    /// <summary>RewardBench's: prompt, chosen, rejected, subset, id.</summary>
    RewardBench,
    /// <summary>SHP's: history, human_ref_A, human_ref_B, labels (1 when A is preferred).</summary>
    Shp,
}

/// <summary>
/// Any preference file, ForumPrefs' own or another tool's, as rows a model can be evaluated on: TRL's standard and
/// conversational forms, RewardBench's layout and SHP's columns, as JSONL or Parquet. The layout comes from the columns;
/// none fitting is a one-line <see cref="DatasetException"/>. A row that does not fit its file's layout is counted in
/// <see cref="Skipped"/>, never fatal.
/// </summary>
public sealed class PreferenceFile
{
    public long Skipped { get; private set; }
    public PreferenceLayout? Layout { get; private set; }

    private static readonly string[] Extensions = [".jsonl", ".json", ".parquet"];

    /// <summary>
    /// The files <paramref name="path"/> names when it is not a ForumPrefs export: itself when a file, else the
    /// .jsonl, .json and .parquet files in the folder; null for an export (a folder with its completion marker).
    /// </summary>
    public static IReadOnlyList<string>? Files(string path)
    {
        if (File.Exists(path))
            return [path];
        if (!Directory.Exists(path))
            throw new DatasetException($"no dataset at '{path}'");
        if (File.Exists(Path.Combine(path, ExportFolder.MarkerName)))
            return null;
        var files = Directory.EnumerateFiles(path).Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files
            : throw new DatasetException($"'{path}' is neither a ForumPrefs export nor a folder of .jsonl or .parquet preference files");
    }

    /// <summary>The layout the columns name; conversational when prompt or chosen holds messages.</summary>
    public static PreferenceLayout Detect(IReadOnlyCollection<string> columns, bool messages, string where)
    {
        bool Has(params string[] names) => names.All(columns.Contains);
        if (Has("history", "human_ref_A", "human_ref_B", "labels"))
            return PreferenceLayout.Shp;
        if (Has("chosen", "rejected") && messages)
            return PreferenceLayout.TrlConversational;
        if (Has("prompt", "chosen", "rejected", "subset", "id"))
            return PreferenceLayout.RewardBench;
        if (Has("prompt", "chosen", "rejected"))
            return PreferenceLayout.Trl;
        throw new DatasetException($"'{where}' fits no preference layout (TRL: prompt, chosen, rejected; RewardBench: prompt, chosen, rejected, " +
            $"subset, id; SHP: history, human_ref_A, human_ref_B, labels); its columns are {string.Join(", ", columns.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The rows of a .jsonl / .json or .parquet file, streamed.</summary>
    public IAsyncEnumerable<DatasetRow> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ReadParquetAsync(path, cancellationToken) : ReadJsonLinesAsync(path, cancellationToken);

    private async IAsyncEnumerable<DatasetRow> ReadJsonLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        long number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            DatasetRow? row;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new FormatException("not an object");
                Layout ??= Detect(root.EnumerateObject().Select(p => p.Name).ToList(),
                    IsMessages(root, "prompt") || IsMessages(root, "chosen"), path);
                row = FromJson(root, Layout.Value, $"{name}:{number}", name);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                row = null;
            }
            if (row is null)
            {
                Skipped++;
                continue;
            }
            yield return row;
        }
    }

    private static bool IsMessages(JsonElement row, string column) =>
        row.TryGetProperty(column, out var value) && value.ValueKind == JsonValueKind.Array;

    private static DatasetRow? FromJson(JsonElement r, PreferenceLayout layout, string fallbackId, string fallbackDomain)
    {
        string Text(string name) => r.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null");
        string? Optional(string name) => r.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
        double Real(string name, double fallback) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        switch (layout)
        {
            case PreferenceLayout.Shp:
            {
                var aPreferred = r.GetProperty("labels").GetInt32() == 1;
                var (a, b) = (Text("human_ref_A"), Text("human_ref_B"));
                return new DatasetRow(Optional("post_id") ?? fallbackId, Optional("domain") ?? fallbackDomain, Text("history"),
                    aPreferred ? a : b, aPreferred ? b : a, Real("score_ratio", 1), 0);
            }
            case PreferenceLayout.TrlConversational:
            {
                var chosen = Messages(r.GetProperty("chosen"));
                var rejected = Messages(r.GetProperty("rejected"));
                var prompt = r.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.Array ? Messages(p) : null;
                return Conversation(prompt, chosen, rejected, Optional("post_id") ?? fallbackId, Optional("domain") ?? fallbackDomain,
                    Real("score_ratio", 1), Real("margin", 0));
            }
            default:
                return new DatasetRow(Optional("id") ?? Optional("post_id") ?? fallbackId,
                    Optional("subset") ?? Optional("domain") ?? fallbackDomain, Text("prompt"), Text("chosen"), Text("rejected"),
                    Real("score_ratio", 1), Real("margin", 0));
        }
    }

    private static List<ChatTurn> Messages(JsonElement list) => list.EnumerateArray()
        .Select(m => new ChatTurn(m.GetProperty("role").GetString() ?? "", m.GetProperty("content").GetString() ?? "")).ToList();

    /// <summary>
    /// A conversational pair as text: the prompt's transcript and each side's final answer. With an implicit prompt
    /// (none given), the conversation before the last message of chosen is the prompt.
    /// </summary>
    private static DatasetRow? Conversation(List<ChatTurn>? prompt, List<ChatTurn> chosen, List<ChatTurn> rejected, string id, string domain,
        double ratio, double margin)
    {
        if (chosen.Count == 0 || rejected.Count == 0)
            return null;
        var context = prompt ?? chosen[..^1];
        return new DatasetRow(id, domain, context.Count == 0 ? "" : ChatRoles.Transcript(context),
            prompt is null ? chosen[^1].Content : string.Concat(chosen.Select(m => m.Content)),
            prompt is null ? rejected[^1].Content : string.Concat(rejected.Select(m => m.Content)), ratio, margin);
    }

    private async IAsyncEnumerable<DatasetRow> ReadParquetAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken);
        var names = reader.Schema.Fields.Select(f => f.Name).ToList();
        var messages = reader.Schema.Fields.Any(f => f.Name is "prompt" or "chosen" && f is ListField);
        Layout = Detect(names, messages, path);
        if (Layout != PreferenceLayout.TrlConversational && names.Contains("score_ratio") && names.Contains("post_id") && names.Contains("domain"))
        {
            // ForumPrefs' own export: its reader knows every column.
            await foreach (var row in DatasetReader.ReadFileAsync(path, cancellationToken))
                yield return row;
            yield break;
        }
        var name = Path.GetFileNameWithoutExtension(path);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            if (Layout == PreferenceLayout.TrlConversational)
            {
                await using var file = File.OpenRead(path);
                var rows = (await ParquetSerializer.DeserializeAsync<MessageRow>(file, rowGroupIndex: g, cancellationToken: cancellationToken)).Data;
                for (var i = 0; i < rows.Count; i++)
                {
                    static List<ChatTurn> Turns(List<ChatMessage>? list) => list?.Select(m => new ChatTurn(m.Role, m.Content)).ToList() ?? [];
                    var row = Conversation(rows[i].Prompt is { Count: > 0 } p ? Turns(p) : null, Turns(rows[i].Chosen), Turns(rows[i].Rejected),
                        $"{name}:{g}:{i}", name, 1, 0);
                    if (row is null)
                        Skipped++;
                    else
                        yield return row;
                }
                continue;
            }
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
            async Task<string?[]> Column(string column)
            {
                var values = new string?[count];
                // Text columns: string, or ReadOnlyMemory<char> as Parquet.Net's own serializer declares them.
                if (fields.TryGetValue(column, out var field) && (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>)))
                    await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken);
                return values;
            }
            async Task<long[]> Labels()
            {
                var values = new long[count];
                var field = fields["labels"];
                if (field.ClrType == typeof(long))
                    await group.ReadAsync<long>(field, values.AsMemory(), cancellationToken: cancellationToken);
                else
                {
                    var small = new int[count];
                    await group.ReadAsync<int>(field, small.AsMemory(), cancellationToken: cancellationToken);
                    for (var i = 0; i < count; i++)
                        values[i] = small[i];
                }
                return values;
            }
            if (Layout == PreferenceLayout.Shp)
            {
                var (history, a, b, labels) = (await Column("history"), await Column("human_ref_A"), await Column("human_ref_B"), await Labels());
                var (ids, domains) = (await Column("post_id"), await Column("domain"));
                for (var i = 0; i < count; i++)
                {
                    if (history[i] is null || a[i] is null || b[i] is null)
                    {
                        Skipped++;
                        continue;
                    }
                    var aPreferred = labels[i] == 1;
                    yield return new DatasetRow(ids[i] ?? $"{name}:{g}:{i}", domains[i] ?? name, history[i]!, aPreferred ? a[i]! : b[i]!,
                        aPreferred ? b[i]! : a[i]!, 1, 0);
                }
            }
            else
            {
                var (prompts, chosen, rejected) = (await Column("prompt"), await Column("chosen"), await Column("rejected"));
                var (ids, subsets) = (await Column(Layout == PreferenceLayout.RewardBench ? "id" : "post_id"),
                    await Column(Layout == PreferenceLayout.RewardBench ? "subset" : "domain"));
                for (var i = 0; i < count; i++)
                {
                    if (prompts[i] is null || chosen[i] is null || rejected[i] is null)
                    {
                        Skipped++;
                        continue;
                    }
                    yield return new DatasetRow(ids[i] ?? $"{name}:{g}:{i}", subsets[i] ?? name, prompts[i]!, chosen[i]!, rejected[i]!, 1, 0);
                }
            }
        }
    }

    /// <summary>TRL's conversational columns alone: whatever else a file holds is not read.</summary>
    private sealed class MessageRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("prompt")] public List<ChatMessage>? Prompt { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("chosen")] public List<ChatMessage>? Chosen { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("rejected")] public List<ChatMessage>? Rejected { get; set; }
    }
}
