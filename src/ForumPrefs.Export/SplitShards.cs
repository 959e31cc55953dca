using ForumPrefs.Core;
using ForumPrefs.Datasets;

namespace ForumPrefs.Export;

/// <summary>
/// One split's files: a new shard is started once the current one reaches <see cref="ExportOptions.MaxFileMb"/> on disk
/// (checked every thousand rows, so a shard passes the bound by at most its last row group). Shards are renamed at
/// the end: one shard is <c>train.parquet</c> as before; several are <c>train-00000-of-00003.parquet</c> and on.
/// </summary>
internal sealed class SplitShards(string folder, Split split, Func<int, Task<PairFileWriter>> open, long maxBytes, string extension) : IAsyncDisposable
{
    private const int RowsBetweenChecks = 1000;

    private readonly List<string> _done = [];
    private PairFileWriter? _current;
    private long _currentRows;

    public long Rows { get; private set; }

    /// <summary>The split's files, once complete.</summary>
    public IReadOnlyList<string> Paths { get; private set; } = [];

    public async Task AddAsync(PreferencePair pair, CancellationToken cancellationToken)
    {
        _current ??= await open(_done.Count);
        await _current.AddAsync(pair, cancellationToken);
        Rows++;
        if (maxBytes > 0 && ++_currentRows % RowsBetweenChecks == 0 && _current.BytesOnDisk >= maxBytes)
            await CloseCurrentAsync();
    }

    public async Task CompleteAsync()
    {
        if (_current is not null || _done.Count == 0)
        {
            _current ??= await open(_done.Count);
            await CloseCurrentAsync();
        }
        var final = _done.Count == 1
            ? [Path.Combine(folder, split.Name() + extension)]
            : _done.Select((_, i) => Path.Combine(folder, ExportFolder.ShardName(split, i, _done.Count, extension))).ToList();
        for (var i = 0; i < _done.Count; i++)
            if (_done[i] != final[i])
                File.Move(_done[i], final[i], overwrite: true);
        Paths = final;
    }

    private async Task CloseCurrentAsync()
    {
        await _current!.CompleteAsync();
        _done.Add(_current.Path);
        _current = null;
        _currentRows = 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
            await _current.DisposeAsync();
    }
}
