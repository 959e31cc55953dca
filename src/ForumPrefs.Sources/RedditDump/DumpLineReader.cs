using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Reads NDJSON lines from a dump file, plain or zstd (with the 2 GiB window the dumps use), in a reused buffer:
/// memory stays bounded whatever the file size. <see cref="TryRead"/> hands out each line with its byte offset in
/// the decompressed stream; a truncated or corrupt .zst ends the file with <see cref="Failure"/> set.
/// </summary>
public sealed class DumpLineReader : IDisposable
{
    public const int MaxLineBytes = 64 << 20;
    private const int ChunkBytes = 4 << 20;

    private readonly FileStream _file;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[ChunkBytes * 2];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private bool _discarding;

    public DumpLineReader(string path)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        IsCompressed = path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase);
        if (IsCompressed)
        {
            var decompressor = new DecompressionStream(_file, ChunkBytes);
            decompressor.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, 31);
            _stream = decompressor;
        }
        else
        {
            _stream = _file;
        }
    }

    public bool IsCompressed { get; }

    /// <summary>Bytes of the file read so far (compressed bytes for .zst), for progress.</summary>
    public long FilePosition => _file.Position;

    public long FileLength => _file.Length;

    /// <summary>Set when the file ended in a way that lost data: a truncated or corrupt .zst.</summary>
    public string? Failure { get; private set; }

    /// <summary>Lines longer than <see cref="MaxLineBytes"/> skipped so far.</summary>
    public long TooLongLines { get; private set; }

    /// <summary>The offset just past the last line handed out: where a resumed read starts.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Skips decompressed bytes up to <paramref name="offset"/> (a line start recorded by an earlier run).</summary>
    public void SkipTo(long offset)
    {
        while (Position < offset)
        {
            if (_start == _end && !Fill())
                return;
            var take = (int)Math.Min(_end - _start, offset - Position);
            _start += take;
        }
    }

    public bool TryRead(out ReadOnlySpan<byte> line, out long offset)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                offset = _bufferOffset + _start;
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                if (_discarding)
                {
                    _discarding = false;
                    continue;
                }
                if (line.Length > 0 && line[^1] == '\r')
                    line = line[..^1];
                if (line.IsEmpty)
                    continue;
                return true;
            }
            if (_end - _start >= MaxLineBytes)
            {
                // Drop the oversized line up to its newline; it is counted once.
                if (!_discarding)
                    TooLongLines++;
                _discarding = true;
                _bufferOffset += _end;
                _start = _end = 0;
            }
            if (!Fill())
            {
                offset = _bufferOffset + _start;
                if (_start < _end && !_discarding)
                {
                    // A last line without a newline.
                    line = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    return true;
                }
                line = default;
                return false;
            }
        }
    }

    private bool Fill()
    {
        if (_eof)
            return false;
        if (_start > 0)
        {
            // Keep the partial line at the front of the buffer.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < ChunkBytes)
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes + ChunkBytes * 2));
        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (Exception ex) when (IsCompressed && ex is ZstdException or EndOfStreamException or IOException)
        {
            Failure = $"zstd stream broken: {ex.Message}";
            _eof = true;
            return false;
        }
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _file.Dispose();
    }
}
