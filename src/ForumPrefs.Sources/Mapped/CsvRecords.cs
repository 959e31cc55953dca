using CsvHelper;
using System.Text.Json.Nodes;

namespace ForumPrefs.Sources.Mapped;

/// <summary>A CSV with a header row, each row a record of text fields named by the header (RFC 4180, read by CsvHelper).</summary>
internal static class CsvRecords
{
    public static IEnumerable<JsonNode?> Read(Stream stream)
    {
        // Defaults: rows of other lengths are allowed (a missing field is empty, the record's problem, not the
        // file's), and bad quoting is recovered from.
        using var csv = CsvReader.Create(stream, new CsvReaderOptions(), false);
        while (csv.Read())
        {
            var header = csv.Headers;
            var row = new JsonObject();
            for (var i = 0; i < Math.Min(header.Count, csv.FieldCount); i++)
                row[header[i]] = csv.GetString(i);
            yield return row;
        }
    }
}
