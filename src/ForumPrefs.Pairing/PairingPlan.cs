using ForumPrefs.Core;
using ForumPrefs.Pairing.NearDuplicates;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Pairing.Screens;
using System.Globalization;

namespace ForumPrefs.Pairing;

/// <summary>
/// A checked <see cref="PairingRequest"/>: each policy's options, the splits, the forum filter, and the one place
/// that says which policy a forum gets (the one asked for, else its source's default, as the sources declare them).
/// </summary>
public sealed record PairingPlan(string Policy, string? Forum, ShpOptions Shp, StackExchangeOptions StackExchange, CommonWindowOptions Window,
    RankingOptions Ranking, StackExchangeOptions Discourse, SplitAssigner Splits, IReadOnlyDictionary<string, string> SourceDefaults)
{
    /// <summary>The content rules (<see cref="Screens"/>): near-duplicates, templates, decontamination, languages.</summary>
    public ScreenOptions Screens { get; init; } = new();

    /// <summary>SHP exclusions a user can switch off (<c>--keep</c>).</summary>
    public static readonly string[] Keepable =
        ["link-posts", "edited-posts", "nsfw", "deleted-or-moderator-posts", "nested", "deleted-authors", "moderators", "post-author-comments", "identical-texts", "synthetic",
         "near-duplicates", "question-clusters"];

    /// <param name="sourceDefaults">Each Forum.Source's policy under "auto", as the sources declare it.</param>
    public static PairingPlan From(PairingRequest r, IReadOnlyDictionary<string, string> sourceDefaults)
    {
        // What is not one policy's: the policy's name and the exclusions switched off. Each policy's record checks its own.
        if (r.Keep.FirstOrDefault(k => !Keepable.Contains(k)) is { } unknown)
            throw new PairingOptionsException($"--keep takes {string.Join(", ", Keepable)}, not '{unknown}'");
        if (!PolicyChoice.Names.Contains(r.Policy))
            throw new PairingOptionsException($"--policy must be one of {string.Join(", ", PolicyChoice.Names)}, not '{r.Policy}'");
        var rule = r.StackExchangeRule.ToLowerInvariant() switch
        {
            "h4" => StackExchangeRule.H4,
            "shp" => StackExchangeRule.Shp,
            _ => throw new PairingOptionsException($"--se-rule must be h4 or shp, not '{r.StackExchangeRule}'"),
        };
        var kept = r.Keep.ToHashSet();
        var shp = new ShpOptions
        {
            MinScoreRatio = r.MinRatio, MaxPairsPerPost = r.MaxPairsPerPost, MinScoreAgeHours = r.MinScoreAgeHours, CreatedBefore = r.CreatedBefore,
            RequirePreferredLater = !r.NoTimeRule, MinPostScore = r.MinPostScore, MinCommentScore = r.MinCommentScore,
            MaxCommentsPerPost = r.MaxCommentsPerPost,
            SelfPostsOnly = !kept.Contains("link-posts"), ExcludeEditedPosts = !kept.Contains("edited-posts"),
            ExcludeNsfw = !kept.Contains("nsfw"), ExcludeDeletedOrModeratorPostAuthor = !kept.Contains("deleted-or-moderator-posts"),
            TopLevelOnly = !kept.Contains("nested"), ExcludeDeletedCommentAuthors = !kept.Contains("deleted-authors"),
            ExcludeModeratorComments = !kept.Contains("moderators"), ExcludePostAuthorComments = !kept.Contains("post-author-comments"),
            DropIdenticalTexts = !kept.Contains("identical-texts"),
        };
        var stackExchange = new StackExchangeOptions
        {
            Rule = rule, MinScoreRatio = r.MinRatio, MaxPairsPerPost = r.MaxPairsPerPost, MinScoreAgeHours = r.MinScoreAgeHours,
            MaxAnswersPerPost = r.MaxCommentsPerPost, DropIdenticalTexts = !kept.Contains("identical-texts"),
        };
        var window = new CommonWindowOptions { Exclusions = shp, MinWindowHours = r.MinWindowHours, MinVoteMargin = r.MinVoteMargin, LaterWinsOnly = r.LaterWinsOnly };
        var ranking = new RankingOptions
        {
            IncludeSynthetic = kept.Contains("synthetic"), Language = string.IsNullOrWhiteSpace(r.Language) ? null
                : string.Join(',', r.Language.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant(),
            MaxPairsPerPost = r.MaxPairsPerPost, DropIdenticalTexts = !kept.Contains("identical-texts"),
        };
        // Discourse: likes under SHP's time rule and ratio, the accepted answer (Solved) one like ahead, as H4 gives it.
        var discourse = stackExchange with { Rule = StackExchangeRule.Shp, AcceptedBonus = true, AllRepliesAreAnswers = r.AllRepliesAreAnswers };
        return new PairingPlan(r.Policy, r.Forum, shp.Validated(), stackExchange.Validated(), window.Validated(), ranking.Validated(),
            discourse.Validated(), ParseSplits(r.Splits), sourceDefaults)
        {
            Screens = new ScreenOptions
            {
                NearDuplicates = new NearDuplicateOptions { Threshold = r.NearDuplicateThreshold, ShingleWords = r.ShingleWords, Hashes = r.MinHashHashes }.Validated(),
                NearDuplicatePairs = !kept.Contains("near-duplicates"), QuestionClusters = !kept.Contains("question-clusters"),
                MaxAnswerCopies = r.MaxAnswerCopies, Decontaminate = r.Decontaminate, NGramWords = r.NGramWords,
                Languages = ranking.Language?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
            }.Validated(),
        };
    }

    /// <summary>The common-window policy compares votes over time: a source that can record timelines (the simulator) should.</summary>
    public bool NeedsVoteTimelines => Policy == PolicyChoice.CommonWindow;

    /// <summary>The policy name a forum of <paramref name="source"/> gets: the one asked for, else its source's default, else SHP's.</summary>
    public string PolicyName(string source) => PolicyChoice.For(Policy, source, SourceDefaults);

    /// <summary>The policy for a forum, with the options it takes on that forum's source.</summary>
    public IPairingPolicy PolicyFor(Forum forum) => PolicyFor(forum, Screens.NearDuplicatePairs ? new PairScreen(Screens.NearDuplicates) : PairScreen.None);

    private IPairingPolicy PolicyFor(Forum forum, PairScreen screen) => PolicyName(forum.Source) switch
    {
        // As the stackexchange policy: answers start at 0 and may go negative, no score thresholds, edits are normal.
        PolicyChoice.CommonWindow when forum.Source == SourceNames.StackExchange => new CommonWindowPolicy(Window with
        {
            InitialScore = 0,
            Exclusions = Window.Exclusions with { MinPostScore = int.MinValue, MinCommentScore = int.MinValue, ExcludeEditedPosts = false },
        }, screen),
        PolicyChoice.CommonWindow => new CommonWindowPolicy(Window, screen),
        PolicyChoice.StackExchange => new StackExchangePolicy(StackExchange, screen: screen),
        PolicyChoice.Ranking => new RankingPolicy(Ranking, screen),
        PolicyChoice.Discourse => new StackExchangePolicy(Discourse, PolicyChoice.Discourse, screen),
        _ => new ShpPolicy(Shp, screen),
    };

    /// <summary>Forums matching the forum filter (a name, or source/name); all forums when there is none.</summary>
    public IReadOnlyList<Forum> Select(IReadOnlyList<Forum> forums)
    {
        if (Forum is null)
            return forums;
        var wanted = Forum.Trim().ToLowerInvariant();
        var matches = forums.Where(f => f.Name == wanted || f.ToString() == wanted).ToList();
        return matches.Count > 0
            ? matches
            : throw new PairingOptionsException($"unknown forum '{Forum}' (the store has: {(forums.Count == 0 ? "none" : string.Join(", ", forums))})");
    }

    private static SplitAssigner ParseSplits(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new PairingOptionsException($"--splits must look like 90/5/5, not '{text}'");
        var values = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        if (values.Any(v => v < 0 || !double.IsFinite(v)) || total <= 0)
            throw new PairingOptionsException($"--splits must be non-negative and not all zero, not '{text}'");
        return new SplitAssigner(values[0] / total, values[1] / total, values[2] / total);
    }
}
