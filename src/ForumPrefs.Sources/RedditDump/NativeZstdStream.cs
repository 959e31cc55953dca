using System.Runtime.InteropServices;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>Which zstd decoder reads .zst dumps: the system's libzstd (native, faster) or ZstdSharp (managed, always there).</summary>
public enum ZstdDecoder
{
    /// <summary>libzstd where it loads, else ZstdSharp.</summary>
    Auto,
    Native,
    Managed,
}

/// <summary>
/// A read-only stream decoding zstd through the system's libzstd (the library the zstd CLI uses), with the 2 GiB window
/// the dumps need. A frame cut short is reported as <see cref="InvalidDataException"/> at the end of the input, a corrupt
/// one at once, so the reader keeps what was decoded before either, as with ZstdSharp.
/// </summary>
public sealed unsafe partial class NativeZstdStream : Stream
{
    private const string Library = "libzstd.so.1";
    private const int WindowLogMaxParameter = 100; // ZSTD_d_windowLogMax in zstd.h

    // The library's handle, or 0 where it does not load.
    private static readonly Lazy<nint> Handle = new(() => NativeLibrary.TryLoad(Library, out var library) ? library : 0);

    [StructLayout(LayoutKind.Sequential)]
    private struct ZstdBuffer
    {
        public byte* Data;
        public nuint Size;
        public nuint Position;
    }

    [LibraryImport(Library)] private static partial nint ZSTD_createDStream();
    [LibraryImport(Library)] private static partial nint ZSTD_createDStream_advanced(ZstdWindows.CustomMemory memory);
    [LibraryImport(Library)] private static partial nuint ZSTD_freeDStream(nint stream);
    [LibraryImport(Library)] private static partial nuint ZSTD_DCtx_setParameter(nint context, int parameter, int value);
    [LibraryImport(Library)] private static partial nuint ZSTD_decompressStream(nint stream, ZstdBuffer* output, ZstdBuffer* input);
    [LibraryImport(Library)] private static partial uint ZSTD_isError(nuint code);
    [LibraryImport(Library)] private static partial nint ZSTD_getErrorName(nuint code);

    private readonly Stream _source;
    private readonly byte[] _input = new byte[1 << 20];
    private nint _stream;
    private int _inputSize;
    private int _inputPosition;
    private nuint _last; // the last call's hint: 0 when a frame was complete and flushed
    private bool _started;
    private ZstdWindows.Window* _window; // null where this libzstd lacks custom allocators
    private ulong _decoded;

    /// <summary>Whether the system's libzstd can be loaded here.</summary>
    public static bool Available => Handle.Value != 0;

    public NativeZstdStream(Stream source)
    {
        _source = source;
        _stream = CreateWithWindows(out _window);
        if (_stream == 0)
            throw new InvalidOperationException("libzstd could not create a decompression stream");
        Check(ZSTD_DCtx_setParameter(_stream, WindowLogMaxParameter, 31));
    }

    /// <summary>Bytes of this decoder's window with pages made ready ahead of it (0 without a window of its own).</summary>
    internal ulong WindowBytesReady => _window is null ? 0 : _window->Ready;

    /// <summary>A decoder whose window comes from <see cref="ZstdWindows"/>, or a plain one where the library has no such entry.</summary>
    private static nint CreateWithWindows(out ZstdWindows.Window* window)
    {
        if (HasCustomMemory.Value)
        {
            var memory = ZstdWindows.For(out window);
            var stream = ZSTD_createDStream_advanced(memory);
            if (stream != 0)
                return stream;
            ZstdWindows.Release(window);
        }
        window = null;
        return ZSTD_createDStream();
    }

    private static readonly Lazy<bool> HasCustomMemory = new(() =>
        Available && NativeLibrary.TryGetExport(Handle.Value, "ZSTD_createDStream_advanced", out _));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        while (true)
        {
            if (_inputPosition == _inputSize)
            {
                _inputSize = _source.Read(_input, 0, _input.Length);
                _inputPosition = 0;
                if (_inputSize == 0)
                    return _started && _last != 0 ? throw new InvalidDataException("the zstd frame is cut short (truncated file)") : 0;
            }
            if (_window is not null)
                ZstdWindows.Prepare(_window, _decoded + (ulong)buffer.Length);
            fixed (byte* output = buffer)
            fixed (byte* input = _input)
            {
                var outBuffer = new ZstdBuffer { Data = output, Size = (nuint)buffer.Length };
                var inBuffer = new ZstdBuffer { Data = input, Size = (nuint)_inputSize, Position = (nuint)_inputPosition };
                _last = Check(ZSTD_decompressStream(_stream, &outBuffer, &inBuffer));
                _started = true;
                _inputPosition = (int)inBuffer.Position;
                _decoded += outBuffer.Position;
                if (outBuffer.Position > 0)
                    return (int)outBuffer.Position;
            }
        }
    }

    private static nuint Check(nuint code) => ZSTD_isError(code) != 0
        ? throw new InvalidDataException($"zstd: {Marshal.PtrToStringAnsi(ZSTD_getErrorName(code))}")
        : code;

    protected override void Dispose(bool disposing)
    {
        if (_stream != 0)
            ZSTD_freeDStream(_stream); // gives its window back first
        if (_window is not null)
            ZstdWindows.Release(_window);
        _stream = 0;
        _window = null;
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
