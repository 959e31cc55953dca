using ForumPrefs.Core;

namespace ForumPrefs.Store;

/// <summary>
/// A pair as stored: references to the post and the two comments, the scores the decision used, and for pairs decided
/// on a common window, the votes each answer won in it.
/// </summary>
public readonly record struct StoredPair(
    long PostPk, long PreferredPk, long OtherPk, int PreferredScore, int OtherScore,
    double ScoreRatio, double Margin, Split Split, bool PreferredIsA, PairWindow? Window = null, string? Language = null);

/// <summary>One policy's pairs for one forum, with the options and rejection report (JSON) they were built with.</summary>
public sealed record PairRun(long Id, string Policy, Forum Forum, string Options, string Report, DateTimeOffset Created, long Pairs);
