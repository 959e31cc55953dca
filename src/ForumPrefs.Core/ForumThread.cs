namespace ForumPrefs.Core;

/// <summary>
/// A post with its comments as seen at <see cref="Observed"/> (the time the scores were read).
/// <see cref="GroundTruth"/> maps comment id to hidden answer quality and exists for simulated sources only.
/// </summary>
public sealed record ForumThread(
    Forum Forum,
    Post Post,
    IReadOnlyList<Comment> Comments,
    DateTimeOffset Observed,
    IReadOnlyDictionary<string, double>? GroundTruth = null);
