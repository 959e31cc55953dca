using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ForumPrefs.Pairing.NearDuplicates;

/// <summary>
/// MinHash LSH over many texts: each text's signature is cut into bands, and texts sharing a band's values are
/// candidates. Only each band's 64-bit hash is kept (8 bytes × bands per text); the signatures are not. Candidates are
/// found band by band by sorting, so memory stays the bands' arrays plus one band's sort buffer.
/// </summary>
public sealed class LshIndex
{
    private readonly MinHasher _hasher;
    private readonly int _bands;
    private readonly int _rows;
    private readonly int _shingleWords;
    private readonly List<ulong>[] _bandHashes;
    private readonly List<ulong> _shingles = [];
    private readonly uint[] _signature;

    public LshIndex(NearDuplicateOptions options)
    {
        _hasher = new MinHasher(options.Hashes);
        (_bands, _rows) = options.Banding();
        _shingleWords = options.ShingleWords;
        _bandHashes = Enumerable.Range(0, _bands).Select(_ => new List<ulong>()).ToArray();
        _signature = new uint[options.Hashes];
    }

    public int Count { get; private set; }
    public int Bands => _bands;
    public int Rows => _rows;

    /// <summary>Adds a text; its index is the number of texts added before it.</summary>
    public int Add(string text)
    {
        Shingles.Of(text, _shingleWords, _shingles);
        _hasher.Signature(_shingles, _signature);
        var bytes = MemoryMarshal.AsBytes(_signature.AsSpan());
        for (var band = 0; band < _bands; band++)
            // An empty text (no words) matches nothing: its band hashes are made unique by its index.
            _bandHashes[band].Add(_shingles.Count == 0
                ? (ulong)Count * 0x9E3779B97F4A7C15UL ^ (ulong)band
                : XxHash3.HashToUInt64(bytes.Slice(band * _rows * sizeof(uint), _rows * sizeof(uint)), band));
        return Count++;
    }

    /// <summary>Joins every two texts that share a band: the near-duplicate clusters.</summary>
    public UnionFind Clusters()
    {
        var sets = new UnionFind();
        for (var i = 0; i < Count; i++)
            sets.Add();
        ForEachCandidate((x, y) => sets.Union(x, y), firstOnly: true);
        return sets;
    }

    /// <summary>Every candidate pair (x &lt; y), once, for measuring the LSH step against exact similarity.</summary>
    public HashSet<(int, int)> CandidatePairs()
    {
        var pairs = new HashSet<(int, int)>();
        ForEachCandidate((x, y) => pairs.Add(x < y ? (x, y) : (y, x)), firstOnly: false);
        return pairs;
    }

    /// <param name="firstOnly">Join each text to the first of its run only (enough for clusters), else report every pair in a run.</param>
    private void ForEachCandidate(Action<int, int> visit, bool firstOnly)
    {
        var keys = new ulong[Count];
        var ids = new int[Count];
        foreach (var band in _bandHashes)
        {
            band.CopyTo(keys);
            for (var i = 0; i < Count; i++)
                ids[i] = i;
            Array.Sort(keys, ids);
            for (var start = 0; start < Count;)
            {
                var end = start + 1;
                while (end < Count && keys[end] == keys[start])
                    end++;
                for (var i = start + 1; i < end; i++)
                    if (firstOnly)
                        visit(ids[start], ids[i]);
                    else
                        for (var k = start; k < i; k++)
                            visit(ids[k], ids[i]);
                start = end;
            }
        }
    }
}
