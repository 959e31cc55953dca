namespace ForumPrefs.Pairing;

/// <summary>
/// What a user asks of pairing, as given, each value with SHP's default (the options of <c>pairs</c> and <c>run</c>).
/// <see cref="PairingPlan.From"/> checks it and turns it into the policies' own options.
/// </summary>
public sealed record PairingRequest
{
    public string Policy { get; init; } = Policies.PolicyChoice.Auto;
    public string? Forum { get; init; }
    public double MinRatio { get; init; } = 1;
    public int? MaxPairsPerPost { get; init; }
    public double MinScoreAgeHours { get; init; } = 36;
    public DateTimeOffset? CreatedBefore { get; init; }
    public bool NoTimeRule { get; init; }
    public int MinPostScore { get; init; } = 10;
    public int MinCommentScore { get; init; } = 2;
    public int MaxCommentsPerPost { get; init; } = 50;
    public string Splits { get; init; } = "90/5/5";
    public string StackExchangeRule { get; init; } = "h4";
    /// <summary>SHP exclusions switched off, by the names in <see cref="PairingPlan.Keepable"/>.</summary>
    public IReadOnlyCollection<string> Keep { get; init; } = [];
    public double MinWindowHours { get; init; } = 24;
    public int MinVoteMargin { get; init; } = 1;
    public bool LaterWinsOnly { get; init; }
    /// <summary>Only these languages (comma list of ISO 639-1 codes), detected; OpenAssistant's own tag too.</summary>
    public string? Language { get; init; }
    public double NearDuplicateThreshold { get; init; } = new NearDuplicates.NearDuplicateOptions().Threshold;
    public int ShingleWords { get; init; } = new NearDuplicates.NearDuplicateOptions().ShingleWords;
    public int MinHashHashes { get; init; } = new NearDuplicates.NearDuplicateOptions().Hashes;
    /// <summary>Drop answers whose text is in more than this many threads; null keeps them (they are counted either way).</summary>
    public int? MaxAnswerCopies { get; init; }
    public IReadOnlyList<string> Decontaminate { get; init; } = [];
    public int NGramWords { get; init; } = 13;
    public bool AllRepliesAreAnswers { get; init; }
}
