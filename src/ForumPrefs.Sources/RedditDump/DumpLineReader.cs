using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Reads NDJSON lines from a dump file, plain or compressed (zstd with the 2 GiB window the dumps use; gzip; and the
/// bzip2 and xz of Pushshift's 2005–2017 months), told by the file's magic bytes, in a reused buffer:
/// memory stays bounded by the buffers and the zstd window whatever the file size. A background thread decompresses
/// (ZstdSharp, which also reports a truncated frame) while the caller scans lines, so on two cores the two
/// overlap. <see cref="TryRead"/> hands out each line with its byte offset in the decompressed stream; a truncated or
/// corrupt compressed file ends with <see cref="Failure"/> set. A pipe (FIFO) is read like a file, once.
/// </summary>
public sealed class DumpLineReader : IDisposable
{
    public const int DefaultMaxLineBytes = 64 << 20;
    private const int ChunkBytes = 4 << 20;

    private readonly DumpInput _file;
    private readonly Stream _stream;
    private readonly BlockingCollection<(byte[] Chunk, int Length)> _chunks = new(boundedCapacity: 4);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private volatile string? _failure;
    private byte[] _buffer = new byte[ChunkBytes * 2];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private bool _discarding;

    public DumpLineReader(string path, int maxLineBytes = DefaultMaxLineBytes, ZstdDecoder decoder = ZstdDecoder.Auto)
        : this(DumpInput.Open(path), maxLineBytes, decoder)
    {
    }

    /// <param name="input">Opened by the caller; this reader disposes it.</param>
    public DumpLineReader(DumpInput input, int maxLineBytes = DefaultMaxLineBytes, ZstdDecoder decoder = ZstdDecoder.Auto)
    {
        MaxLineBytes = maxLineBytes;
        _file = input;
        Compression = input.Compression;
        if (Compression == DumpCompression.Zstd && (decoder == ZstdDecoder.Native || (decoder == ZstdDecoder.Auto && NativeZstdStream.Available)))
        {
            _stream = NativeZstdStream.Available
                ? new NativeZstdStream(_file)
                : throw new InvalidOperationException("the system's libzstd (libzstd.so.1) is not installed: apt-get install libzstd1, or use the managed decoder");
        }
        else
        {
            _stream = _file.Decompressed(ChunkBytes);
        }
        // Its own thread: it blocks on the queue, and pool threads are for short work (see RedditDumpIngest's readers).
        _producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Until disposed, the zstd window of a finished file is kept for the next file's decoder instead of being unmapped
    /// (an ingest of many monthly files makes its window's pages once).
    /// </summary>
    public static IDisposable ShareWindows() => ZstdWindows.Scope();

    /// <summary>
    /// Within <see cref="ShareWindows"/>, when no more files will be read: the kept windows are given back now, on a
    /// pool thread, instead of when the scope ends.
    /// </summary>
    public static void ReleaseSharedWindows() => ZstdWindows.ReleasePooled();

    public DumpCompression Compression { get; }

    public bool IsCompressed => Compression != DumpCompression.None;

    /// <summary>Longer lines are skipped and counted (a corrupt file can hold one "line" of gigabytes).</summary>
    public int MaxLineBytes { get; }

    /// <summary>Bytes of the file read so far (compressed bytes for a compressed file), for progress.</summary>
    public long FilePosition => _file.Position;

    /// <summary>The file's size; 0 for a pipe.</summary>
    public long FileLength => _file.Size;

    /// <summary>Set when the file ended in a way that lost data: a truncated or corrupt compressed file.</summary>
    public string? Failure => _eof ? _failure : null;

    /// <summary>Lines longer than <see cref="MaxLineBytes"/> skipped so far.</summary>
    public long TooLongLines { get; private set; }

    /// <summary>Where the first skipped over-long lines start (at most 100 are kept).</summary>
    public List<long> TooLongLineOffsets { get; } = [];

    private void TooLong(long offset)
    {
        TooLongLines++;
        if (TooLongLineOffsets.Count < 100)
            TooLongLineOffsets.Add(offset);
    }

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                if (line.Length > MaxLineBytes)
                {
                    TooLong(offset);
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
                    TooLong(_bufferOffset + _start);
                _discarding = true;
                _bufferOffset += _end;
                _start = _end = 0;
            }
            if (!Fill())
            {
                offset = _bufferOffset + _start;
                if (_start < _end && !_discarding && _failure is null)
                {
                    // A last line without a newline (after a broken .zst it is the cut line: dropped, counted as such).
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
        if (!_chunks.TryTake(out var next, Timeout.Infinite))
        {
            _eof = true;
            return false;
        }
        Buffer.BlockCopy(next.Chunk, 0, _buffer, _end, next.Length);
        ArrayPool<byte>.Shared.Return(next.Chunk);
        _end += next.Length;
        return true;
    }

    private void Produce()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                var length = 0;
                try
                {
                    // Fill whole chunks: the decompressor may hand out small pieces. bzip2 and xz are asked for 64 KiB at a
                    // time: SharpCompress fills a request whole before returning, so a cut file would lose all of it.
                    var piece = Compression is DumpCompression.Bzip2 or DumpCompression.Xz ? 64 << 10 : ChunkBytes;
                    int read;
                    while (length < ChunkBytes && (read = _stream.Read(chunk, length, Math.Min(piece, ChunkBytes - length))) > 0)
                        length += read;
                }
                catch (Exception ex) when (IsCompressed && ex is not OperationCanceledException)
                {
                    // Whatever a decoder throws on damaged input (ZstdException, InvalidDataException, SharpCompress's
                    // format errors, a cut stream's EndOfStreamException) ends the file as a counted, truncated one.
                    _failure = $"{Compression.ToString().ToLowerInvariant()} stream broken: {ex.Message}";
                }
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                    return;
                }
                // What was decoded before a break is still handed out: only the cut line is lost.
                _chunks.Add((chunk, length), _stop.Token);
                if (_failure is not null)
                    return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _producer.Wait();
        }
        catch (AggregateException)
        {
        }
        while (_chunks.TryTake(out var left))
            ArrayPool<byte>.Shared.Return(left.Chunk);
        _stream.Dispose();
        _file.Dispose();
        _chunks.Dispose();
        _stop.Dispose();
    }
}
