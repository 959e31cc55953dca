using ForumPrefs.Datasets;
using Parquet;
using Parquet.Schema;
using System.Text.Json;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// The texts of an evaluation file, whatever its layout: every string of every JSON line (nested lists of messages
/// included), every string column of a Parquet file (ForumPrefs' own exports, TRL or RewardBench files), or every line
/// of a plain-text file. A JSON line that does not parse is counted, not fatal.
/// </summary>
public static class EvalTexts
{
    public sealed class Counts
    {
        public long Texts { get; set; }
        public long BadLines { get; set; }
    }

    public static IEnumerable<string> Read(string path, Counts counts)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var texts = extension switch
        {
            ".parquet" => Parquet(path),
            ".jsonl" or ".json" or ".ndjson" => JsonLines(path, counts),
            _ => File.ReadLines(path),
        };
        foreach (var text in texts)
            if (!string.IsNullOrWhiteSpace(text))
            {
                counts.Texts++;
                yield return text;
            }
    }

    private static IEnumerable<string> JsonLines(string path, Counts counts)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            List<string> strings = [];
            try
            {
                using var document = JsonDocument.Parse(line);
                Strings(document.RootElement, strings);
            }
            catch (JsonException)
            {
                counts.BadLines++;
                continue;
            }
            foreach (var text in strings)
                yield return text;
        }
    }

    private static void Strings(JsonElement element, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Strings(item, into);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Strings(property.Value, into);
                break;
        }
    }

    /// <summary>Every flat string column; a file with message lists (TRL's conversational layout) is read as preference rows.</summary>
    private static IEnumerable<string> Parquet(string path)
    {
        var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        try
        {
            if (reader.Schema.Fields.Any(f => f is ListField))
            {
                var rows = new PreferenceFile().ReadAsync(path).ToBlockingEnumerable();
                foreach (var row in rows)
                {
                    yield return row.Prompt;
                    yield return row.Chosen;
                    yield return row.Rejected;
                }
                yield break;
            }
            var fields = reader.Schema.DataFields.Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)).ToList();
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                foreach (var field in fields)
                {
                    var values = new string?[rowGroup.RowCount];
                    rowGroup.ReadAsync(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
                    foreach (var value in values)
                        if (value is not null)
                            yield return value;
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
