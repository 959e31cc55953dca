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
    public string? Language { get; init; }
    public bool AllRepliesAreAnswers { get; init; }
}
