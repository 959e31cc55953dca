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

    /// <summary>
    /// What a source knows beyond the common fields, as a JSON object (OpenAssistant: role, rank, language, synthetic,
    /// emojis, labels; Discourse: post number, accepted); null when the source has nothing more.
    /// </summary>
    public string? Meta { get; init; }
}
