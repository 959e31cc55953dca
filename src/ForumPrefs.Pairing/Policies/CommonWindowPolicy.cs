using ForumPrefs.Pairing.Screens;
namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// Compares two answers on the net votes each won while both were visible: from the later answer's creation to the
/// last observation of both. Final scores are confounded by time (the earlier answer collected votes alone first);
/// within the common window they are not, so this policy also keeps pairs where the earlier answer leads, which SHP's
/// rule throws away. Scores between sightings are not known: the earlier answer's score when the window opens (and
/// either one's where it closes) is bracketed by the sightings around that moment, and a pair is decided only when the
/// winner is the same anywhere in those brackets, by at least the minimum margin. Exclusions are SHP's.
/// </summary>
public sealed class CommonWindowPolicy(CommonWindowOptions options, PairScreen? screen = null) : IPairingPolicy
{
    public const string PolicyName = PolicyChoice.CommonWindow;

    public string Name => PolicyName;
    public object Options => options;
    public bool NeedsTimelines => true;

    public void Build(CandidateThread thread, RejectionReport report, List<PolicyPair> pairs)
    {
        // The score-age rule is SHP's guard against final scores read too soon; windows carry their own length.
        var shp = options.Exclusions with { MinScoreAgeHours = 0 };
        if (ShpPolicy.Eligible(shp, thread, report) is not { } eligible)
            return;

        var start = pairs.Count;
        for (var i = 0; i < eligible.Count; i++)
        for (var j = i + 1; j < eligible.Count; j++)
        {
            report.CandidatePairs++;
            var (a, b) = (eligible[i], eligible[j]);
            var (earlier, later) = a.Comment.Created <= b.Comment.Created ? (a, b) : (b, a);
            var (rule, pair) = Decide(earlier, later);
            if (rule is not null)
            {
                report.Count(RuleLevel.Pair, rule);
                continue;
            }
            if (shp.DropIdenticalTexts && TextNormalizer.SameText(pair!.Value.Preferred.Comment.Body, pair.Value.Other.Comment.Body))
            {
                report.Count(RuleLevel.Pair, Rules.IdenticalTexts);
                continue;
            }
            if ((screen ?? PairScreen.None).Rule(pair!.Value.Preferred, pair.Value.Other) is { } nearDuplicate)
            {
                report.Count(RuleLevel.Pair, nearDuplicate);
                continue;
            }
            pairs.Add(pair!.Value);
        }
        PairCap.Apply(pairs, start, shp.MaxPairsPerPost, report, byMargin: true);
        report.PairsKept += pairs.Count - start;
    }

    private (string? Rule, PolicyPair? Pair) Decide(CandidateAnswer earlier, CandidateAnswer later)
    {
        var opens = later.Comment.Created;
        var (earlierLast, laterLast) = (Last(earlier), Last(later));
        if (earlierLast is null || laterLast is null)
            return (Rules.WindowNotObserved, null);
        var closes = earlierLast.Value < laterLast.Value ? earlierLast.Value : laterLast.Value;
        if ((earlierLast.Value - laterLast.Value).Duration().TotalHours > options.MaxEndGapHours)
            return (Rules.WindowNotObserved, null);
        if ((closes - opens).TotalHours < options.MinWindowHours)
            return (Rules.WindowTooShort, null);

        var earlierOpen = Bracket(earlier, opens);
        var earlierClose = Bracket(earlier, closes);
        var laterClose = Bracket(later, closes);
        if (earlierOpen is null || earlierClose is null || laterClose is null)
            return (Rules.WindowNotObserved, null);
        var laterOpen = At(later, opens) ?? options.InitialScore;

        // The later answer's lead in window votes, at least and at most, over everything the brackets allow.
        var leastLead = (laterClose.Value.Low - laterOpen) - (earlierClose.Value.High - earlierOpen.Value.Low);
        var mostLead = (laterClose.Value.High - laterOpen) - (earlierClose.Value.Low - earlierOpen.Value.High);
        var seconds = (long)(closes - opens).TotalSeconds;
        // Point values: the scores of the latest sightings at or before each bound (exact for complete vote records).
        var laterVotes = laterClose.Value.Before - laterOpen;
        var earlierVotes = earlierClose.Value.Before - earlierOpen.Value.Before;
        if (leastLead >= options.MinVoteMargin)
            return (null, Pair(later, earlier, laterVotes, earlierVotes, leastLead, seconds));
        if (mostLead <= -options.MinVoteMargin)
            return options.LaterWinsOnly ? (Rules.WindowEarlierWon, null) : (null, Pair(earlier, later, earlierVotes, laterVotes, -mostLead, seconds));
        return (Rules.WindowUndecided, null);
    }

    private static PolicyPair Pair(CandidateAnswer preferred, CandidateAnswer other, int preferredVotes, int otherVotes, int margin, long seconds) =>
        new(preferred, other, ShpPolicy.Ratio(preferred.Comment.Score, other.Comment.Score), margin,
            new Core.PairWindow(preferredVotes, otherVotes, seconds));

    private static DateTimeOffset? Last(CandidateAnswer answer) => answer.Timeline is { Count: > 0 } t ? t[^1].At : null;

    /// <summary>The score of a sighting exactly at <paramref name="time"/>, if there is one.</summary>
    private static int? At(CandidateAnswer answer, DateTimeOffset time) =>
        answer.Timeline?.Where(s => s.At == time).Select(s => (int?)s.Score).FirstOrDefault();

    /// <summary>
    /// The score at <paramref name="time"/> as the sightings around it allow: between the latest one at or before it
    /// and the earliest one at or after it. Null without a sighting on each side.
    /// </summary>
    private static (int Low, int High, int Before)? Bracket(CandidateAnswer answer, DateTimeOffset time)
    {
        var timeline = answer.Timeline;
        if (timeline is null)
            return null;
        (DateTimeOffset At, int Score)? before = null, after = null;
        foreach (var sighting in timeline)
        {
            if (sighting.At <= time)
                before = sighting;
            if (sighting.At >= time && after is null)
                after = sighting;
        }
        if (before is null || after is null)
            return null;
        return (Math.Min(before.Value.Score, after.Value.Score), Math.Max(before.Value.Score, after.Value.Score), before.Value.Score);
    }
}
