using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ForumPrefs.Pairing.NearDuplicates;

/// <summary>
/// Word shingles as 64-bit hashes, the way datatrove's MinhashDedup makes them: the text lower-cased, words are runs of
/// letters and digits (punctuation and spacing ignored), each shingle n consecutive words. A text shorter than n words is
/// one shingle of all its words.
/// </summary>
public static class Shingles
{
    public static List<ulong> Of(string text, int words, List<ulong>? into = null)
    {
        var shingles = into ?? [];
        shingles.Clear();
        Span<ulong> window = stackalloc ulong[Math.Max(words, 1)];
        var count = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            if (inWord || start < 0)
                continue;
            window[count % words] = WordHash(text.AsSpan(start, i - start));
            count++;
            start = -1;
            if (count >= words)
                shingles.Add(Combine(window, count, words));
        }
        if (count is > 0 && count < words)
            shingles.Add(Combine(window, count, count));
        return shingles;
    }

    /// <summary>A text's distinct shingles, for exact Jaccard similarity.</summary>
    public static HashSet<ulong> Set(string text, int words) => [.. Of(text, words)];

    public static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0)
            return 1;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var shared = small.Count(large.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    private static ulong WordHash(ReadOnlySpan<char> word)
    {
        Span<char> lower = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        word.ToLowerInvariant(lower);
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(lower));
    }

    /// <summary>The last <paramref name="n"/> words of the ring <paramref name="window"/>, in order.</summary>
    private static ulong Combine(ReadOnlySpan<ulong> window, int count, int n)
    {
        var hash = 0xcbf29ce484222325UL;
        for (var k = count - n; k < count; k++)
            hash = (hash ^ window[k % window.Length]) * 0x100000001b3UL + (hash >> 29);
        return hash;
    }
}
