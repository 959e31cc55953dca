using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Export.Parquet;

namespace ForumPrefs.Export;

/// <summary>
/// One split's file in any format. It is written under a temporary name and moved into place when complete, so a
/// killed export never leaves a half-written file that looks finished.
/// </summary>
internal sealed class PairFileWriter : IAsyncDisposable
{
    private readonly string _temporary;
    private readonly ParquetPairWriter? _parquet;
    private readonly JsonlPairWriter? _jsonl;
    private readonly ConversationalPairWriter? _conversational;
    private bool _completed;

    private PairFileWriter(string path, string temporary, ParquetPairWriter? parquet, JsonlPairWriter? jsonl,
        ConversationalPairWriter? conversational = null)
    {
        Path = path;
        _temporary = temporary;
        _parquet = parquet;
        _jsonl = jsonl;
        _conversational = conversational;
    }

    public string Path { get; }
    public long Rows => _parquet?.Rows ?? _jsonl?.Rows ?? _conversational!.Rows;

    /// <summary>What the file holds on disk so far (row groups already written).</summary>
    public long BytesOnDisk => File.Exists(_temporary) ? new FileInfo(_temporary).Length : 0;

    public static string FileName(ExportFormat format, Split split) => split.Name() + Extension(format);

    public static string Extension(ExportFormat format) => format == ExportFormat.Jsonl ? ".json" : ".parquet";

    /// <param name="shard">Which shard of the split: written as <c>train.00001.parquet</c> until <see cref="SplitShards"/> names them all.</param>
    public static async Task<PairFileWriter> CreateAsync(string folder, Split split, string domain, ExportOptions options,
        bool includeAttribution, CancellationToken cancellationToken, bool includeWindow = false, int shard = 0)
    {
        var path = System.IO.Path.Combine(folder, shard == 0 ? FileName(options.Format, split) : $"{split.Name()}.{shard:D5}{Extension(options.Format)}");
        var temporary = path + ".partial";
        // One definition of the layout's columns drives every writer.
        if (options is { Format: ExportFormat.Trl, Conversational: true })
            return new PairFileWriter(path, temporary, null, null, new ConversationalPairWriter(temporary,
                Layouts.TrlConversational(options.IncludeAuthors, includeAttribution, includeWindow), domain, options.RowGroupSize)
                { MaxChars = RowGroups.CharsFor(options.MaxFileMb) });
        var columns = options.Format == ExportFormat.Trl
            ? Layouts.Trl(options.IncludeAuthors, includeAttribution, includeWindow)
            : Layouts.Shp(options.IncludeAuthors, includeAttribution, includeWindow);
        return options.Format == ExportFormat.Jsonl
            ? new PairFileWriter(path, temporary, null, new JsonlPairWriter(temporary, columns, domain))
            : new PairFileWriter(path, temporary, await ParquetPairWriter.CreateAsync(temporary, columns, domain, options.RowGroupSize, RowGroups.CharsFor(options.MaxFileMb), cancellationToken), null);
    }

    public Task AddAsync(PreferencePair pair, CancellationToken cancellationToken) =>
        _parquet is not null ? _parquet.AddAsync(pair, cancellationToken)
        : _jsonl is not null ? _jsonl.AddAsync(pair, cancellationToken)
        : _conversational!.AddAsync(pair, cancellationToken);

    /// <summary>Finishes the file and moves it into place.</summary>
    public async Task CompleteAsync()
    {
        await CloseAsync();
        File.Move(_temporary, Path, overwrite: true);
        _completed = true;
    }

    /// <summary>Without <see cref="CompleteAsync"/> (an error or Ctrl+C), the partial file is removed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_completed)
            return;
        await CloseAsync();
        File.Delete(_temporary);
    }

    private async Task CloseAsync()
    {
        if (_parquet is not null)
            await _parquet.DisposeAsync();
        if (_jsonl is not null)
            await _jsonl.DisposeAsync();
        if (_conversational is not null)
            await _conversational.DisposeAsync();
    }
}
