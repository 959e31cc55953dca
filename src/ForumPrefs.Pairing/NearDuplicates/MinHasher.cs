namespace ForumPrefs.Pairing.NearDuplicates;

/// <summary>
/// MinHash signatures: for each of K seeded hash functions the smallest value over a text's shingles. Two texts'
/// signatures agree at a position with probability equal to their Jaccard similarity. The functions are
/// multiply-shift hashes (a·x + b, top 32 bits), seeded so every run gives the same signatures.
/// </summary>
public sealed class MinHasher
{
    private readonly ulong[] _a;
    private readonly ulong[] _b;

    public MinHasher(int hashes, int seed = 1)
    {
        var random = new Random(seed);
        _a = new ulong[hashes];
        _b = new ulong[hashes];
        for (var i = 0; i < hashes; i++)
        {
            _a[i] = (ulong)random.NextInt64() << 1 | 1;
            _b[i] = (ulong)random.NextInt64();
        }
    }

    public int Hashes => _a.Length;

    public void Signature(IReadOnlyList<ulong> shingles, Span<uint> signature)
    {
        signature.Fill(uint.MaxValue);
        var a = _a.AsSpan();
        var b = _b.AsSpan();
        foreach (var x in shingles)
            for (var i = 0; i < a.Length; i++)
            {
                var h = (uint)((a[i] * x + b[i]) >> 32);
                if (h < signature[i])
                    signature[i] = h;
            }
    }
}
