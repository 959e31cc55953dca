using System.Security.Cryptography;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Who a dump file is, whatever its path: a hash of its first megabyte (its name in checkpoints), and its size,
/// modification time and a hash of its last megabyte (to notice that it changed since it was read).
/// </summary>
public sealed record DumpFileIdentity(string Head, string Tail, long Size, long ModifiedUtc)
{
    private const int Block = 1 << 20;

    public static DumpFileIdentity Of(string path)
    {
        using var file = File.OpenRead(path);
        var size = file.Length;
        var head = Hash(file, 0, (int)Math.Min(Block, size));
        var tailStart = Math.Max(0, size - Block);
        var tail = Hash(file, tailStart, (int)(size - tailStart));
        return new DumpFileIdentity(head, tail, size, new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds());
    }

    private static string Hash(FileStream file, long offset, int length)
    {
        var buffer = new byte[length];
        file.Position = offset;
        file.ReadExactly(buffer);
        return Convert.ToHexStringLower(SHA256.HashData(buffer))[..32];
    }
}
