namespace ForumPrefs.Pairing.Policies;

public enum StackExchangeRule
{
    /// <summary>HuggingFaceH4/stack-exchange-preferences: round(log2(1 + score)), +1 if accepted, negative → −1; different scores pair.</summary>
    H4,
    /// <summary>SHP-2's plain rule: the later answer with a strictly higher raw score (and the minimum ratio) is preferred.</summary>
    Shp,
}

public sealed record StackExchangeOptions
{
    public StackExchangeRule Rule { get; init; } = StackExchangeRule.H4;
    /// <summary>Used by the Shp rule: preferred / other raw score (scores below 0 count as 0, both plus one).</summary>
    public double MinScoreRatio { get; init; } = 1;
    public int? MaxPairsPerPost { get; init; }
    public int MaxAnswersPerPost { get; init; } = 50;
    public double MinScoreAgeHours { get; init; } = 36;
    public bool DropIdenticalTexts { get; init; } = true;
    /// <summary>Every reply is an answer, not only replies to the question (forums whose replies are a flat list).</summary>
    public bool AllRepliesAreAnswers { get; init; }
    /// <summary>Shp rule: the accepted answer's score counts one more, as H4's rule gives it (Discourse's Solved plugin).</summary>
    public bool AcceptedBonus { get; init; }

    /// <summary>This policy's options, checked: the first value out of range is named by its option.</summary>
    public StackExchangeOptions Validated()
    {
        OptionChecks.Check(MinScoreRatio >= 1, "--min-ratio must be at least 1");
        OptionChecks.Check(MaxPairsPerPost is null or >= 1, "--max-pairs-per-post must be at least 1");
        OptionChecks.Check(MinScoreAgeHours >= 0, "--min-score-age must be 0 (off) or more hours");
        OptionChecks.Check(MaxAnswersPerPost >= 2, "--max-comments-per-post must be at least 2");
        return this;
    }
}
