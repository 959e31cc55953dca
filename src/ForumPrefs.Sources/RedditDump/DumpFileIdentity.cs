using System.Security.Cryptography;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Who a dump file is, whatever its path: a hash of its first megabyte (its name in checkpoints), and its size,
/// modification time and a hash of its last megabyte (to notice that it changed since it was read).
/// </summary>
public sealed record DumpFileIdentity(string Head, string Tail, long Size, long ModifiedUtc)
{
    private const int Block = 1 << 20;

    public static DumpFileIdentity Of(string path) => Of(path, null);

    /// <param name="head">The file's first megabyte (all of it, if shorter), when the caller has read it already.</param>
    public static DumpFileIdentity Of(string path, byte[]? head)
    {
        using var file = File.OpenRead(path);
        var size = file.Length;
        var headHash = head is not null ? HashOf(head) : Hash(file, 0, (int)Math.Min(Block, size));
        var tailStart = Math.Max(0, size - Block);
        var tail = Hash(file, tailStart, (int)(size - tailStart));
        return new DumpFileIdentity(headHash, tail, size, new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds());
    }

    /// <summary>The name a pipe's first megabyte gives it in checkpoints (no tail, size or time can be known).</summary>
    public static DumpFileIdentity OfPipe(byte[] head) => new(HashOf(head), "", -1, 0);

    private static string Hash(FileStream file, long offset, int length)
    {
        var buffer = new byte[length];
        file.Position = offset;
        file.ReadExactly(buffer);
        return HashOf(buffer);
    }

    private static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
}
