namespace ForumPrefs.Core;

/// <summary>
/// The common window of a pair decided on vote timelines: net votes each answer won between the later answer's
/// creation and the last observation of both, and the window's length.
/// </summary>
public sealed record PairWindow(int PreferredVotes, int OtherVotes, long Seconds);
