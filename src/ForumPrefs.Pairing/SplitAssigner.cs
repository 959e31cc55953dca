using ForumPrefs.Core;
using System.IO.Hashing;
using System.Text;

namespace ForumPrefs.Pairing;

/// <summary>
/// Deterministic splits and label order. A post's split comes from a hash of its forum and id, so every pair of a
/// post lands in the same split on every run; each pair's A/B order comes from a hash of its two answer ids.
/// </summary>
public sealed class SplitAssigner
{
    private readonly double _train;
    private readonly double _validation;
    private IReadOnlyDictionary<string, string> _representatives = new Dictionary<string, string>();

    public SplitAssigner(double train = 0.90, double validation = 0.05, double test = 0.05)
    {
        if (train < 0 || validation < 0 || test < 0 || Math.Abs(train + validation + test - 1) > 1e-9)
            throw new ArgumentException($"split fractions must be non-negative and add up to 1 (got {train}/{validation}/{test})");
        _train = train;
        _validation = validation;
    }

    /// <summary>
    /// The same splits, with each post of a near-duplicate question cluster in its representative's split, so no
    /// reposted question sits in two splits (<see cref="Screens.ContentClusters"/>).
    /// </summary>
    public SplitAssigner WithClusters(IReadOnlyDictionary<string, string> representatives) =>
        new(_train, _validation, Math.Max(0, 1 - _train - _validation)) { _representatives = representatives };

    public Split SplitOf(Forum forum, string postId)
    {
        var key = PostKey(forum, postId);
        return SplitOfKey(_representatives.TryGetValue(key, out var representative) ? representative : key);
    }

    /// <summary>Whether a post's split is its cluster's rather than its own.</summary>
    public bool Moved(Forum forum, string postId) =>
        _representatives.TryGetValue(PostKey(forum, postId), out var representative) && SplitOfKey(representative) != SplitOfKey(PostKey(forum, postId));

    public static string PostKey(Forum forum, string postId) => $"{forum.Source}\u001f{forum.Name}\u001f{postId}";

    private Split SplitOfKey(string key)
    {
        var unit = Unit(Hash(key));
        return unit < _train ? Split.Train : unit < _train + _validation ? Split.Validation : Split.Test;
    }

    public static bool PreferredIsA(string postId, string preferredId, string otherId) =>
        (Hash($"{postId}\u001f{preferredId}\u001f{otherId}") & 1) == 1;

    private static ulong Hash(string text)
    {
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        return XxHash3.HashToUInt64(buffer[..length]);
    }

    private static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}
