namespace ForumPrefs.Pairing.Policies;

/// <summary>The common-window policy's options; post and comment exclusions are SHP's (its time and ratio rules are not used).</summary>
public sealed record CommonWindowOptions
{
    public ShpOptions Exclusions { get; init; } = new();
    /// <summary>The window (later answer's creation to the last observation of both) must last this long.</summary>
    public double MinWindowHours { get; init; } = 24;
    /// <summary>The preferred answer must have won at least this many more net votes in the window, for certain.</summary>
    public int MinVoteMargin { get; init; } = 1;
    /// <summary>An answer's score when it is written (Reddit 1, Stack Exchange 0), where no sighting says otherwise.</summary>
    public int InitialScore { get; init; } = 1;
    /// <summary>The two answers' last observations may be this far apart and still close one window.</summary>
    public double MaxEndGapHours { get; init; } = 24;
    /// <summary>
    /// Keep only pairs whose later answer won the window. The earlier answer sits higher while it leads and so gets
    /// more readers in the window too: on the simulator its window wins agree with quality far less often.
    /// </summary>
    public bool LaterWinsOnly { get; init; }

    /// <summary>This policy's options, checked (its exclusions are SHP's, checked as SHP's).</summary>
    public CommonWindowOptions Validated()
    {
        OptionChecks.Check(MinWindowHours >= 0 && MinVoteMargin >= 1, "--min-window-hours must be 0 or more and --min-vote-margin at least 1");
        Exclusions.Validated();
        return this;
    }
}
