namespace ForumPrefs.Sources.RedditDump;

/// <summary>How a dump's bytes are compressed, told by their magic bytes, never by the file's name.</summary>
public enum DumpCompression { None, Zstd, Gzip, Bzip2, Xz }

/// <summary>
/// A dump file opened once for reading: a regular file, or a FIFO or process substitution (<c>&lt;(zstdcat …)</c>),
/// which cannot seek. Its first megabyte is read at open, to tell its compression and its identity; a pipe replays
/// it from memory, so nothing is read twice. <see cref="Position"/> counts the bytes handed out, for progress.
/// </summary>
public sealed class DumpInput : Stream
{
    private const int HeadBytes = 1 << 20;
    private readonly FileStream _file;
    private readonly byte[] _head;
    private int _headAt;
    private long _position;

    /// <param name="head">The file's first megabyte.</param>
    private DumpInput(string path, FileStream file, byte[] head)
    {
        Path = path;
        _file = file;
        _identityHead = head;
        _head = file.CanSeek ? [] : head; // a file is read again from its start; a pipe replays what was read
        Compression = Detect(head);
    }

    public static DumpInput Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            var head = new byte[HeadBytes];
            var length = file.ReadAtLeast(head, HeadBytes, throwOnEndOfStream: false);
            Array.Resize(ref head, length);
            if (file.CanSeek)
                file.Position = 0;
            return new DumpInput(path, file, head);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The bytes decompressed by managed decoders. gzip: .NET's own (it reads concatenated members); bzip2 and xz:
    /// SharpCompress, measured against the bzip2 and xz programs and SharpZipLib (README, "Older compressed dumps").
    /// Disposing the result disposes this input.
    /// </summary>
    public Stream Decompressed(int zstdBufferBytes = 1 << 20)
    {
        switch (Compression)
        {
            case DumpCompression.Zstd:
                var zstd = new ZstdSharp.DecompressionStream(this, zstdBufferBytes);
                zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 31);
                return zstd;
            case DumpCompression.Gzip:
                return new System.IO.Compression.GZipStream(this, System.IO.Compression.CompressionMode.Decompress);
            case DumpCompression.Bzip2:
                return SharpCompress.Compressors.BZip2.BZip2Stream.Create(this, SharpCompress.Compressors.CompressionMode.Decompress,
                    decompressConcatenated: true, leaveOpen: false, tolerateTruncatedStream: false);
            case DumpCompression.Xz:
                return new SharpCompress.Compressors.Xz.XZStream(this);
            default:
                return this;
        }
    }

    private readonly byte[] _identityHead;

    public string Path { get; }
    public DumpCompression Compression { get; }
    /// <summary>False for a pipe: its size is not known and it is read once.</summary>
    public bool IsRegularFile => _file.CanSeek;
    /// <summary>The file's size in bytes; 0 for a pipe, whose size is not known until it ends.</summary>
    public long Size => _file.CanSeek ? _file.Length : 0;

    /// <summary>
    /// Who the dump is: for a file, its first and last megabyte, size and time (<see cref="DumpFileIdentity"/>); for a
    /// pipe, its first megabyte alone, so the same stream given again resumes where the last run stopped.
    /// </summary>
    public DumpFileIdentity Identity() => IsRegularFile ? DumpFileIdentity.Of(Path, _identityHead) : DumpFileIdentity.OfPipe(_identityHead);

    private static DumpCompression Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0x28, 0xB5, 0x2F, 0xFD, ..] => DumpCompression.Zstd,
        [0x1F, 0x8B, ..] => DumpCompression.Gzip,
        [(byte)'B', (byte)'Z', (byte)'h', >= (byte)'1' and <= (byte)'9', ..] => DumpCompression.Bzip2,
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => DumpCompression.Xz,
        _ => DumpCompression.None,
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_headAt < _head.Length)
        {
            read = Math.Min(buffer.Length, _head.Length - _headAt);
            _head.AsSpan(_headAt, read).CopyTo(buffer);
            _headAt += read;
        }
        else
            read = _file.Read(buffer);
        _position += read;
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _file.Dispose();
        base.Dispose(disposing);
    }
}
