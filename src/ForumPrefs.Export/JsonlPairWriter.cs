using ForumPrefs.Core;
using ForumPrefs.Datasets;
using System.Text.Json;

namespace ForumPrefs.Export;

/// <summary>
/// JSON Lines: one object per line, its fields the layout's columns in the layout's order (the same definition the
/// Parquet writer takes), so SHP's JSONL has SHP's names and order.
/// </summary>
internal sealed class JsonlPairWriter : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly IReadOnlyList<PairColumn> _columns;
    private readonly string _domain;

    public JsonlPairWriter(string path, IReadOnlyList<PairColumn> columns, string domain)
    {
        _stream = File.Create(path);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = true });
        _columns = columns;
        _domain = domain;
    }

    public long Rows { get; private set; }

    public async Task AddAsync(PreferencePair p, CancellationToken cancellationToken = default)
    {
        _json.WriteStartObject();
        foreach (var column in _columns)
        {
            switch (column)
            {
                case TextColumn text:
                    _json.WriteString(text.Name, text.Value(p, _domain));
                    break;
                case LongColumn number:
                    _json.WriteNumber(number.Name, number.Value(p));
                    break;
                case DoubleColumn real when real.Value(p) is { } value:
                    _json.WriteNumber(real.Name, value);
                    break;
                case DoubleColumn real:
                    _json.WriteNull(real.Name);
                    break;
                default:
                    throw new InvalidOperationException($"column {column.Name}: JSON Lines has no writing for {column.GetType().Name}");
            }
        }
        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken);
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        Rows++;
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
