namespace ForumPrefs.Core;

/// <summary>
/// A reply in a thread. <see cref="ParentId"/> equals <see cref="PostId"/> for top-level answers
/// (depth 0); otherwise it is the id of the comment replied to.
/// </summary>
public sealed record Comment(
    string Id,
    string PostId,
    string ParentId,
    int Depth,
    string Body,
    string Author,
    int Score,
    DateTimeOffset Created,
    DateTimeOffset? Edited,
    string? Distinguished,
    bool Stickied,
    bool IsSubmitter)
{
    public bool IsTopLevel => ParentId == PostId;

    /// <summary>
    /// The page hid the score (a fresh thread's "[score hidden]"): the comment is real data, its <see cref="Score"/>
    /// is unknown (stored as 0 and flagged) until a later observation shows it.
    /// </summary>
    public bool ScoreHidden { get; init; }
}
