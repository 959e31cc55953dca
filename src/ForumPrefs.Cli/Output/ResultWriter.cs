using ForumPrefs.Store;
using Spectre.Console;
using System.Globalization;
using System.Text.Json;

namespace ForumPrefs.Cli.Output;

/// <summary>Prints rows as an aligned table, RFC 4180 CSV, or a JSON array of objects.</summary>
internal static class ResultWriter
{
    public static void Write(TextWriter writer, QueryResult result, ResultFormat format)
    {
        switch (format)
        {
            case ResultFormat.Csv:
                writer.WriteLine(string.Join(',', result.Columns.Select(Csv)));
                foreach (var row in result.Rows)
                    writer.WriteLine(string.Join(',', row.Select(value => Csv(Text(value)))));
                break;
            case ResultFormat.Json:
                WriteJson(writer, result);
                break;
            default:
                WriteTable(writer, result);
                break;
        }
    }

    public static void WriteTable(TextWriter writer, QueryResult result)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in result.Columns)
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        foreach (var row in result.Rows)
            table.AddRow(row.Select(value => (Spectre.Console.Rendering.IRenderable)new Text(Text(value))).ToArray());
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        console.Write(table);
        writer.WriteLine($"({result.Rows.Count} row{(result.Rows.Count == 1 ? "" : "s")})");
    }

    private static void WriteJson(TextWriter writer, QueryResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < result.Columns.Count; i++)
                {
                    json.WritePropertyName(result.Columns[i]);
                    switch (row[i])
                    {
                        case null: json.WriteNullValue(); break;
                        case long number: json.WriteNumberValue(number); break;
                        case double real: json.WriteNumberValue(real); break;
                        case byte[] blob: json.WriteBase64StringValue(blob); break;
                        default: json.WriteStringValue(row[i]!.ToString()); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double real => real.ToString("G6", CultureInfo.InvariantCulture),
        byte[] blob => Convert.ToBase64String(blob),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
