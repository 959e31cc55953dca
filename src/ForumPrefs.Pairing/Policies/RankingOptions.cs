namespace ForumPrefs.Pairing.Policies;

/// <summary>The options of the <see cref="RankingPolicy"/> (OpenAssistant's ranked sibling replies).</summary>
public sealed record RankingOptions
{
    /// <summary>Keep model-written (<c>synthetic</c>) messages; off by default, as the data is about human answers.</summary>
    public bool IncludeSynthetic { get; init; }
    /// <summary>Only conversations in these languages (a comma list matched against the first prompt's <c>lang</c>, e.g. "en,de"); null: every language.</summary>
    public string? Language { get; init; }
    public int? MaxPairsPerPost { get; init; }
    public bool DropIdenticalTexts { get; init; } = true;

    /// <summary>This policy's options, checked.</summary>
    public RankingOptions Validated()
    {
        OptionChecks.Check(MaxPairsPerPost is null or >= 1, "--max-pairs-per-post must be at least 1");
        return this;
    }
}
