using ForumPrefs.Core;
using ForumPrefs.Datasets;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using System.IO.Compression;

namespace ForumPrefs.Export.Parquet;

/// <summary>
/// Writes pairs in TRL's conversational format from the layout's columns (<see cref="Layouts.TrlConversational"/>):
/// messages as Parquet lists of structs, the rest as plain columns; a row group every <c>rowGroupSize</c> rows,
/// appended to the same file.
/// </summary>
internal sealed class ConversationalPairWriter(string path, IReadOnlyList<PairColumn> columns, string domain, int rowGroupSize) : IAsyncDisposable
{
    private readonly ParquetSchema _schema = new(columns.Select(c => c.Field));
    private readonly List<IDictionary<string, object?>> _buffer = [];
    private bool _started;
    private long _bufferedChars;

    public long Rows { get; private set; }
    public long MaxChars { get; init; } = RowGroups.MaxChars;

    public async Task AddAsync(PreferencePair pair, CancellationToken cancellationToken = default)
    {
        var row = new Dictionary<string, object?>(columns.Count);
        foreach (var column in columns)
            row[column.Name] = column switch
            {
                TextColumn text => text.Value(pair, domain),
                LongColumn number => number.Value(pair),
                DoubleColumn real => real.Value(pair),
                MessagesColumn messages => messages.Value(pair)
                    .Select(t => (IDictionary<string, object?>)new Dictionary<string, object?> { ["role"] = t.Role, ["content"] = t.Content }).ToList(),
                _ => throw new InvalidOperationException($"column {column.Name}: no writing for {column.GetType().Name}"),
            };
        _buffer.Add(row);
        Rows++;
        _bufferedChars += RowGroups.Chars(pair);
        if (_buffer.Count >= rowGroupSize || _bufferedChars >= MaxChars)
        {
            await FlushAsync(cancellationToken);
            _bufferedChars = 0;
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count == 0 && _started)
            return;
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Zstd, CompressionLevel = CompressionLevel.Optimal, Append = _started,
        };
        await using (var stream = new FileStream(path, _started ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite))
            await ParquetSerializer.SerializeUntypedAsync(_buffer, _schema, stream, options, cancellationToken: cancellationToken);
        _started = true;
        _buffer.Clear();
    }

    public async ValueTask DisposeAsync() => await FlushAsync(CancellationToken.None);
}
