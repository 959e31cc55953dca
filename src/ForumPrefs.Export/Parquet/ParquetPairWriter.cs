using ForumPrefs.Datasets;
using ForumPrefs.Core;
using Parquet;
using Parquet.Schema;
using System.IO.Compression;

namespace ForumPrefs.Export.Parquet;

/// <summary>
/// Writes pairs to one Parquet file, a row group every <c>rowGroupSize</c> rows, zstd at Optimal level
/// (Parquet.Net's default SmallestSize is about 60 times slower).
/// </summary>
internal sealed class ParquetPairWriter : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly IReadOnlyList<PairColumn> _columns;
    private readonly string _domain;
    private readonly int _rowGroupSize;
    private readonly List<PreferencePair> _buffer = [];
    private long _bufferedChars;

    private ParquetPairWriter(Stream stream, ParquetWriter writer, IReadOnlyList<PairColumn> columns, string domain, int rowGroupSize)
    {
        _stream = stream;
        _writer = writer;
        _columns = columns;
        _domain = domain;
        _rowGroupSize = rowGroupSize;
    }

    public long Rows { get; private set; }

    /// <summary>Text a row group holds at most (<see cref="RowGroups.CharsFor"/>).</summary>
    public long MaxChars { get; init; } = RowGroups.MaxChars;

    public static async Task<ParquetPairWriter> CreateAsync(string path, IReadOnlyList<PairColumn> columns, string domain,
        int rowGroupSize, long maxChars = RowGroups.MaxChars, CancellationToken cancellationToken = default)
    {
        var stream = File.Create(path);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = CompressionLevel.Optimal };
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field)), stream, options,
            cancellationToken: cancellationToken);
        return new ParquetPairWriter(stream, writer, columns, domain, rowGroupSize) { MaxChars = maxChars };
    }

    public async Task AddAsync(PreferencePair pair, CancellationToken cancellationToken = default)
    {
        _buffer.Add(pair);
        Rows++;
        _bufferedChars += RowGroups.Chars(pair);
        if (_buffer.Count >= _rowGroupSize || _bufferedChars >= MaxChars)
            await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count == 0)
            return;
        using var rowGroup = _writer.CreateRowGroup();
        foreach (var column in _columns)
        {
            switch (column)
            {
                case TextColumn text:
                    await rowGroup.WriteAsync(text.Data, _buffer.Select(p => text.Value(p, _domain)).ToArray());
                    break;
                case LongColumn number:
                    await rowGroup.WriteAsync<long>(number.Data, _buffer.Select(number.Value).ToArray(), cancellationToken: cancellationToken);
                    break;
                case DoubleColumn real:
                    await rowGroup.WriteAsync<double>(real.Data, _buffer.Select(real.Value).ToArray(), cancellationToken: cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"column {column.Name}: this writer takes scalar columns, not {column.GetType().Name}");
            }
        }
        _buffer.Clear();
        _bufferedChars = 0;
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(CancellationToken.None);
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
