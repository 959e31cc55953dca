namespace ForumPrefs.Sources.Mapped;

/// <summary>
/// Where a record's fields are, each a path of keys joined by dots (<c>meta.score</c>), or <c>$key</c>: the key the
/// record stands under in an object keyed by id. A field left out is not in the export.
/// </summary>
public sealed record FieldMap
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? Author { get; init; }
    public string? Score { get; init; }
    /// <summary>Unix seconds, Unix milliseconds (told by size) or ISO 8601.</summary>
    public string? Created { get; init; }
    /// <summary>When the score was read (the scrape's time); without it, --observed or the file's date.</summary>
    public string? Observed { get; init; }
    public string? Edited { get; init; }
    public string? Url { get; init; }
    public string? UpvoteRatio { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("over_18")]
    public string? Over18 { get; init; }
    /// <summary>True for a text post; without it, a post is a text post when it has a body (else a link post, as SHP tells them).</summary>
    public string? IsSelf { get; init; }
    /// <summary>True when the record was deleted: its text is stored as [deleted], so no pair uses it.</summary>
    public string? Deleted { get; init; }
    /// <summary>The id this record replies to. Empty or absent: a reply to the question (or, flat, the question itself).</summary>
    public string? Parent { get; init; }
    /// <summary>The record's replies, nested: a list, or an object keyed by id.</summary>
    public string? Replies { get; init; }

    public IEnumerable<(string Name, string? Path)> Paths() =>
    [
        ("id", Id), ("title", Title), ("body", Body), ("author", Author), ("score", Score), ("created", Created),
        ("observed", Observed), ("edited", Edited), ("url", Url), ("upvote_ratio", UpvoteRatio), ("over_18", Over18), ("is_self", IsSelf),
        ("deleted", Deleted), ("parent", Parent), ("replies", Replies),
    ];
}
