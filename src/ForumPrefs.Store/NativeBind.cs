using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ForumPrefs.Store;

/// <summary>
/// Direct calls into the same native SQLite library that SQLitePCL loads (e_sqlite3), for binding values to a
/// prepared statement. SQLitePCL's wrappers marshal a SafeHandle and allocate a UTF-8 copy per call, which at
/// 14 values a row cost more than SQLite's own insert; binds are short and never block, so the GC transition is
/// suppressed too. Only the bind calls go through here; everything else uses SQLitePCL.
/// </summary>
internal static unsafe partial class NativeBind
{
    private const string Library = "e_sqlite3";
    private static readonly nint Transient = -1; // SQLITE_TRANSIENT: SQLite copies the bytes before returning

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int Int64(nint statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double")]
    [SuppressGCTransition]
    public static partial int Double(nint statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int Null(nint statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    private static partial int Text(nint statement, int index, byte* text, int length, nint destructor);

    // Most texts (ids, names, bodies up to a few thousand characters) are encoded on the stack; a longer one in a
    // buffer kept for the thread, so no value allocates (a 2015 dump's bodies were one managed array each).
    private const int StackBytes = 16 * 1024;

    [ThreadStatic]
    private static byte[]? _spare;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Text(nint statement, int index, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= StackBytes)
        {
            var buffer = stackalloc byte[max];
            var length = Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, max));
            return Text(statement, index, buffer, length, Transient);
        }
        var bytes = _spare is { } spare && spare.Length >= max ? spare : new byte[max];
        var written = Encoding.UTF8.GetBytes(value, bytes);
        if (bytes.Length <= 4 * 1024 * 1024) // a huge body's buffer is not kept for the rest of the run
            _spare = bytes;
        fixed (byte* pointer = bytes)
            return Text(statement, index, pointer, written, Transient);
    }
}
