using ForumPrefs.Store;
using Spectre.Console;
using System.Globalization;
using System.Text.Json;

namespace ForumPrefs.Cli.Output;

/// <summary>
/// Prints rows as an aligned table, RFC 4180 CSV, or a JSON array of objects. CSV and JSON stream row by row; a table
/// must measure its columns, so it draws at most <c>tableRows</c> rows and says how many more there were.
/// </summary>
internal static class ResultWriter
{
    public static void Write(TextWriter writer, QueryResult result, ResultFormat format) =>
        Write(writer, result.Columns, result.Rows, format, tableRows: int.MaxValue);

    public static void Write(TextWriter writer, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, ResultFormat format, int tableRows)
    {
        switch (format)
        {
            case ResultFormat.Csv:
                writer.WriteLine(string.Join(',', columns.Select(Csv)));
                foreach (var row in rows)
                    writer.WriteLine(string.Join(',', row.Select(value => Csv(Text(value)))));
                break;
            case ResultFormat.Json:
                WriteJson(writer, columns, rows);
                break;
            default:
                var shown = new List<object?[]>();
                long total = 0;
                foreach (var row in rows)
                {
                    if (total++ < tableRows)
                        shown.Add(row);
                }
                WriteTable(writer, new QueryResult(columns, shown), total);
                break;
        }
    }

    private static int _prepared;

    /// <summary>
    /// Draws a small table nowhere, once per process, on a pool thread. The first table a process draws spends about
    /// 60 ms compiling Spectre.Console's layout code; a long command (an ingest of a dump) otherwise pays that at its
    /// very end on one core, while this runs as the command starts, when the second core is idle.
    /// </summary>
    public static void PrepareInBackground()
    {
        if (Interlocked.Exchange(ref _prepared, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                try
                {
                    WriteTable(TextWriter.Null, new QueryResult(["file", "lines"], [["x", 1L]]));
                }
                catch (Exception)
                {
                    // Only a warm-up: the real table reports its own errors.
                }
            }, null);
    }

    public static void WriteTable(TextWriter writer, QueryResult result, long? total = null)
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
        var count = total ?? result.Rows.Count;
        writer.WriteLine(count > result.Rows.Count
            ? $"(showing the first {result.Rows.Count:N0} of {count:N0} rows; --format csv or json prints them all)"
            : $"({count} row{(count == 1 ? "" : "s")})");
    }

    private static void WriteJson(TextWriter writer, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        void Drain()
        {
            json.Flush();
            writer.Write(System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
            stream.SetLength(0);
        }
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i]);
                switch (row[i])
                {
                    case null: json.WriteNullValue(); break;
                    case long number: json.WriteNumberValue(number); break;
                    case double real when double.IsFinite(real): json.WriteNumberValue(real); break;
                    case double real: json.WriteStringValue(real.ToString(CultureInfo.InvariantCulture)); break;
                    case byte[] blob: json.WriteBase64StringValue(blob); break;
                    default: json.WriteStringValue(row[i]!.ToString()); break;
                }
            }
            json.WriteEndObject();
            if (json.BytesPending + stream.Length > 1 << 14)
                Drain();
        }
        json.WriteEndArray();
        Drain();
        writer.WriteLine();
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
