using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Memory for libzstd's decoders, whose one big allocation is a dump's window (up to 2 GiB): it is mapped by itself,
/// its pages are made ready a few megabytes ahead of the decoder in one call each (MADV_POPULATE_WRITE), where the
/// kernel otherwise took a fault at the first touch of every 4 KiB page, and inside a <see cref="Scope"/> (an ingest)
/// the window of a finished file is handed to the next file's decoder, so a run of many monthly files makes its
/// window pages once instead of once per file. Smaller allocations go to the C heap. Nothing here changes what is
/// decoded, only where the decoder's memory comes from.
/// </summary>
internal static unsafe partial class ZstdWindows
{
    /// <summary>What one decoder has of its window: where it is, how big, and how much of it has pages already.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Window
    {
        public byte* Base;
        public nuint Size;
        public nuint Ready;
    }

    /// <summary>libzstd's ZSTD_customMem.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CustomMemory
    {
        public delegate* unmanaged<void*, nuint, void*> Alloc;
        public delegate* unmanaged<void*, void*, void> Free;
        public void* Opaque;
    }

    private const nuint BigBytes = 16 << 20;
    private const ulong MinAhead = 1 << 20, MaxAhead = 16 << 20;
    private const nuint PageBytes = 4096;
    private const int MadvPopulateWrite = 23; // Linux 5.14+; older kernels refuse it and pages come one fault at a time

    private static readonly Lock Gate = new();
    private static readonly List<(nint Base, nuint Size, nuint Ready)> Pool = [];
    private static readonly Dictionary<nint, nuint> Mapped = [];
    private static int _scopes;
    private static volatile bool _populateRefused;

    /// <summary>Windows mapped, windows handed on to another file, and windows given back so far (for tests and diagnostics).</summary>
    public static int MappedCount { get; private set; }
    public static int ReusedCount { get; private set; }
    public static int UnmappedCount => _unmapped;

    private static int _unmapped;

    [LibraryImport("libc", SetLastError = true)] private static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);
    [LibraryImport("libc", SetLastError = true)] private static partial int munmap(nint address, nuint length);
    [LibraryImport("libc", SetLastError = true)] private static partial int madvise(nint address, nuint length, int advice);

    /// <summary>The allocator to give a new decoder, with its own window record (freed by <see cref="Release"/>).</summary>
    public static CustomMemory For(out Window* window)
    {
        window = (Window*)NativeMemory.AllocZeroed((nuint)sizeof(Window));
        return new CustomMemory { Alloc = &Allocate, Free = &Deallocate, Opaque = window };
    }

    public static void Release(Window* window) => NativeMemory.Free(window);

    /// <summary>Makes the window's pages ready a little beyond <paramref name="decoded"/> bytes, in one call.</summary>
    public static void Prepare(Window* window, ulong decoded)
    {
        if (window->Base is null || window->Ready >= window->Size || _populateRefused)
            return;
        // Ahead by as much as was decoded, up to 16 MB: a small file's window is not filled beyond its content.
        var goal = (nuint)Math.Min(decoded + Math.Clamp(decoded, MinAhead, MaxAhead), (ulong)window->Size);
        if (goal <= window->Ready)
            return;
        var start = window->Ready & ~(PageBytes - 1);
        var end = Math.Min((goal + PageBytes - 1) & ~(PageBytes - 1), window->Size);
        if (madvise((nint)(window->Base + start), end - start, MadvPopulateWrite) != 0)
        {
            _populateRefused = true; // an older kernel: the first touches fault the pages in, as without this
            return;
        }
        window->Ready = end;
    }

    /// <summary>While a scope is open (an ingest of many files), finished windows wait for the next file's decoder.</summary>
    public static IDisposable Scope()
    {
        lock (Gate)
            _scopes++;
        return new ScopeEnd();
    }

    private sealed class ScopeEnd : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            lock (Gate)
            {
                if (--_scopes == 0)
                    UnmapPool();
            }
        }
    }

    [UnmanagedCallersOnly]
    private static void* Allocate(void* opaque, nuint size)
    {
        if (size < BigBytes)
            return NativeMemory.Alloc(size);
        var window = (Window*)opaque;
        lock (Gate)
        {
            var best = -1;
            for (var i = 0; i < Pool.Count; i++)
                if (Pool[i].Size >= size && (best < 0 || Pool[i].Size < Pool[best].Size))
                    best = i;
            nint address;
            nuint length, ready;
            if (best >= 0)
            {
                (address, length, ready) = Pool[best];
                Pool.RemoveAt(best);
                ReusedCount++;
            }
            else
            {
                UnmapPool(); // none fits: the others would only hold memory the new one needs
                length = (size + PageBytes - 1) & ~(PageBytes - 1);
                address = mmap(0, length, 0x1 | 0x2 /* PROT_READ | PROT_WRITE */, 0x02 | 0x20 /* MAP_PRIVATE | MAP_ANONYMOUS */, -1, 0);
                if (address == -1)
                    return null; // libzstd reports the failed allocation as an error of its own
                ready = 0;
                MappedCount++;
            }
            Mapped[address] = length;
            if (window->Base is null)
                *window = new Window { Base = (byte*)address, Size = size, Ready = Math.Min(ready, size) };
            return (void*)address;
        }
    }

    [UnmanagedCallersOnly]
    private static void Deallocate(void* opaque, void* address)
    {
        if (address is null)
            return;
        var window = (Window*)opaque;
        lock (Gate)
        {
            if (!Mapped.Remove((nint)address, out var length))
            {
                NativeMemory.Free(address);
                return;
            }
            var ready = window->Base == address ? window->Ready : 0;
            if (window->Base == address)
                *window = default;
            if (_scopes > 0)
                Pool.Add(((nint)address, length, ready));
            else
                Unmap([((nint)address, length, ready)]);
        }
    }

    /// <summary>
    /// Gives the windows waiting for a next file back to the system, on a pool thread. Unmapping takes tens of
    /// milliseconds a GB (the kernel frees every page); an ingest whose readers have all finished calls this, so that
    /// happens beside the writer's last batches and the store's closing instead of after them.
    /// </summary>
    public static void ReleasePooled()
    {
        (nint Base, nuint Size, nuint Ready)[] taken;
        lock (Gate)
        {
            if (Pool.Count == 0)
                return;
            taken = [.. Pool];
            Pool.Clear(); // taken out under the lock: no decoder can be handed one of them now
        }
        ThreadPool.UnsafeQueueUserWorkItem(static windows => Unmap(windows), taken, preferLocal: false);
    }

    private static void UnmapPool()
    {
        Unmap(Pool);
        Pool.Clear();
    }

    private static void Unmap(IEnumerable<(nint Base, nuint Size, nuint Ready)> windows)
    {
        foreach (var (address, length, _) in windows)
        {
            munmap(address, length);
            Interlocked.Increment(ref _unmapped);
        }
    }
}
