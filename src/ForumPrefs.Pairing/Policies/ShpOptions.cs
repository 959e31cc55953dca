namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// Every rule SHP applied, as a named option with SHP's default. Which 50 comments: the highest-scoring eligible
/// top-level comments, ties broken by earlier creation, then id.
/// </summary>
public sealed record ShpOptions
{
    public bool SelfPostsOnly { get; init; } = true;
    public bool ExcludeEditedPosts { get; init; } = true;
    public bool ExcludeNsfw { get; init; } = true;
    /// <summary>Keep only posts created before this time (SHP: 2023-01-01). Off by default.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }
    public bool ExcludeDeletedOrModeratorPostAuthor { get; init; } = true;
    public bool ExcludeDeletedCommentAuthors { get; init; } = true;
    public bool ExcludeModeratorComments { get; init; } = true;
    public bool ExcludePostAuthorComments { get; init; } = true;
    public int MinPostScore { get; init; } = 10;
    public int MinCommentScore { get; init; } = 2;
    public bool TopLevelOnly { get; init; } = true;
    public int MaxCommentsPerPost { get; init; } = 50;
    /// <summary>SHP's time rule: the preferred answer was written at or after the other.</summary>
    public bool RequirePreferredLater { get; init; } = true;
    /// <summary>Preferred score / other score must reach this (1 = any strictly higher score; 2 advised for training).</summary>
    public double MinScoreRatio { get; init; } = 1;
    /// <summary>Keep at most this many pairs per post, strongest score ratio first. Null = no cap.</summary>
    public int? MaxPairsPerPost { get; init; }
    /// <summary>Scores read sooner than this many hours after the comment was written are not trusted. Zero turns the rule off.</summary>
    public double MinScoreAgeHours { get; init; } = 36;
    public bool DropIdenticalTexts { get; init; } = true;

    /// <summary>This policy's options, checked: the first value out of range is named by its option.</summary>
    public ShpOptions Validated()
    {
        OptionChecks.Check(MinScoreRatio >= 1, "--min-ratio must be at least 1");
        OptionChecks.Check(MaxPairsPerPost is null or >= 1, "--max-pairs-per-post must be at least 1");
        OptionChecks.Check(MinScoreAgeHours >= 0, "--min-score-age must be 0 (off) or more hours");
        OptionChecks.Check(MaxCommentsPerPost >= 2, "--max-comments-per-post must be at least 2");
        return this;
    }
}
