using ForumPrefs.Core;
namespace ForumPrefs.Sources.Simulation;

/// <summary>
/// Knobs of the forum simulator. Rates are probabilities per post or per comment; the defaults are set near
/// what Reddit shows so that every SHP rule has something to reject.
/// </summary>
public sealed record SimulatorSettings
{
    public const string SourceName = SourceNames.Simulator;

    public IReadOnlyList<string> Forums { get; init; } = ["explainlikeimfive"];
    public int Seed { get; init; } = 42;

    // Per post.
    public double LinkPostRate { get; init; } = 0.10;
    public double Over18Rate { get; init; } = 0.03;
    public double EditedPostRate { get; init; } = 0.08;
    public double DeletedPostAuthorRate { get; init; } = 0.03;
    public double ModeratorPostRate { get; init; } = 0.01;
    public double StickiedModCommentRate { get; init; } = 0.05;
    /// <summary>Share of threads whose scores were read before SHP's 36-hour settling time.</summary>
    public double EarlyObservationRate { get; init; } = 0.08;

    // Per comment.
    public double DeletedCommentRate { get; init; } = 0.04;
    public double RemovedCommentRate { get; init; } = 0.02;
    public double ModeratorCommentRate { get; init; } = 0.01;
    public double SubmitterReplyRate { get; init; } = 0.05;
    public double EditedCommentRate { get; init; } = 0.05;
    /// <summary>Mean number of direct replies to each comment (nested threads).</summary>
    public double RepliesPerComment { get; init; } = 0.5;

    /// <summary>Posts are spread uniformly over this period (SHP's cutoff, 2023-01-01, falls inside it).</summary>
    public DateTimeOffset FirstPost { get; init; } = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset LastPost { get; init; } = new(2023, 7, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One line naming what determines the output, used as the checkpoint key of a simulate run.</summary>
    public string Fingerprint => $"forums={string.Join(',', Forums)};seed={Seed}";
}
