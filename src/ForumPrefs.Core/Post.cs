namespace ForumPrefs.Core;

/// <summary>
/// A thread's opening post. Times are UTC; <see cref="Edited"/> is null when never edited.
/// <see cref="AcceptedAnswerId"/> is set where the forum marks one answer accepted (Stack Exchange).
/// </summary>
public sealed record Post(
    string Id,
    string Title,
    string Body,
    string Author,
    int Score,
    double? UpvoteRatio,
    DateTimeOffset Created,
    DateTimeOffset? Edited,
    bool Over18,
    bool IsSelf,
    string? Distinguished,
    string? Url,
    int NumComments,
    string? AcceptedAnswerId = null)
{
    /// <summary>The post's tags where the forum has them (Stack Exchange), in the forum's order; empty when none.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>What a source knows beyond the common fields, as a JSON object (see <see cref="Comment.Meta"/>); null when nothing.</summary>
    public string? Meta { get; init; }
}
