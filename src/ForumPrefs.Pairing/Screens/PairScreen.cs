using ForumPrefs.Pairing.NearDuplicates;
using ForumPrefs.Pairing.Policies;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// The pair rule every policy applies after its own: two answers of one thread that are near-duplicates carry no
/// preference. The two answers are known, so their shingles' Jaccard similarity is computed exactly rather than
/// estimated by MinHash. SHP's "identical texts" stays the exact case, checked first.
/// </summary>
public sealed class PairScreen(NearDuplicateOptions? options)
{
    /// <summary>No near-duplicate rule (<c>--keep near-duplicates</c>).</summary>
    public static readonly PairScreen None = new(null);

    // Shingle sets of the thread's answers: a thread's answers meet in many pairs. Cleared often, so never large.
    private readonly Dictionary<string, HashSet<ulong>> _shingles = new(ReferenceEqualityComparer.Instance);

    public NearDuplicateOptions? Options => options;

    /// <summary>The rule that removes the pair, or null.</summary>
    public string? Rule(CandidateAnswer a, CandidateAnswer b)
    {
        if (options is null)
            return null;
        if (_shingles.Count > 4096)
            _shingles.Clear();
        return Shingles.Jaccard(Set(a.Comment.Body), Set(b.Comment.Body)) >= options.Threshold ? Rules.NearDuplicateAnswers : null;
    }

    private HashSet<ulong> Set(string text)
    {
        if (!_shingles.TryGetValue(text, out var set))
            _shingles[text] = set = Shingles.Set(text, options!.ShingleWords);
        return set;
    }
}
