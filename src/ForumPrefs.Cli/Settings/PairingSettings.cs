using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using System.Globalization;

namespace ForumPrefs.Cli.Settings;

/// <summary>The options of <c>forumprefs pairs</c>, validated, and the policy each forum gets.</summary>
internal sealed record PairingSettings(
    string Policy,
    string? Forum,
    ShpOptions Shp,
    StackExchangeOptions StackExchange,
    SplitAssigner Splits,
    CommonWindowOptions? Window = null,
    RankingOptions? Ranking = null,
    StackExchangeOptions? Discourse = null)
{
    /// <summary>SHP exclusions a user can switch off with --keep.</summary>
    public static readonly string[] Keepable =
        ["link-posts", "edited-posts", "nsfw", "deleted-or-moderator-posts", "nested", "deleted-authors", "moderators", "post-author-comments", "identical-texts", "synthetic"];

    public static PairingSettings From(string policy, string? forum, double minRatio, int? maxPairsPerPost, double minScoreAgeHours,
        string? createdBefore, bool noTimeRule, int minPostScore, int minCommentScore, int maxCommentsPerPost, string splits, string seRule,
        string? keep = null, double minWindowHours = 24, int minVoteMargin = 1, bool laterWinsOnly = false, string? language = null,
        bool allReplies = false)
    {
        if (minWindowHours < 0 || minVoteMargin < 1)
            throw new UsageException("--min-window-hours must be 0 or more and --min-vote-margin at least 1");
        var kept = (keep ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (kept.FirstOrDefault(k => !Keepable.Contains(k)) is { } unknown)
            throw new UsageException($"--keep takes {string.Join(", ", Keepable)}, not '{unknown}'");
        if (!PolicyChoice.Names.Contains(policy))
            throw new UsageException($"--policy must be one of {string.Join(", ", PolicyChoice.Names)}, not '{policy}'");
        if (minRatio < 1 || double.IsNaN(minRatio))
            throw new UsageException("--min-ratio must be at least 1");
        if (maxPairsPerPost is < 1)
            throw new UsageException("--max-pairs-per-post must be at least 1");
        if (minScoreAgeHours < 0)
            throw new UsageException("--min-score-age must be 0 (off) or more hours");
        if (maxCommentsPerPost < 2)
            throw new UsageException("--max-comments-per-post must be at least 2");
        var cutoff = OptionValues.Date(createdBefore, "--created-before");
        var rule = seRule.ToLowerInvariant() switch
        {
            "h4" => StackExchangeRule.H4,
            "shp" => StackExchangeRule.Shp,
            _ => throw new UsageException($"--se-rule must be h4 or shp, not '{seRule}'"),
        };
        var shp = new ShpOptions
        {
            MinScoreRatio = minRatio, MaxPairsPerPost = maxPairsPerPost, MinScoreAgeHours = minScoreAgeHours, CreatedBefore = cutoff,
            RequirePreferredLater = !noTimeRule, MinPostScore = minPostScore, MinCommentScore = minCommentScore,
            MaxCommentsPerPost = maxCommentsPerPost,
            SelfPostsOnly = !kept.Contains("link-posts"), ExcludeEditedPosts = !kept.Contains("edited-posts"),
            ExcludeNsfw = !kept.Contains("nsfw"), ExcludeDeletedOrModeratorPostAuthor = !kept.Contains("deleted-or-moderator-posts"),
            TopLevelOnly = !kept.Contains("nested"), ExcludeDeletedCommentAuthors = !kept.Contains("deleted-authors"),
            ExcludeModeratorComments = !kept.Contains("moderators"), ExcludePostAuthorComments = !kept.Contains("post-author-comments"),
            DropIdenticalTexts = !kept.Contains("identical-texts"),
        };
        var stackExchange = new StackExchangeOptions
        {
            Rule = rule, MinScoreRatio = minRatio, MaxPairsPerPost = maxPairsPerPost, MinScoreAgeHours = minScoreAgeHours,
            MaxAnswersPerPost = maxCommentsPerPost, DropIdenticalTexts = !kept.Contains("identical-texts"),
        };
        var window = new CommonWindowOptions { Exclusions = shp, MinWindowHours = minWindowHours, MinVoteMargin = minVoteMargin, LaterWinsOnly = laterWinsOnly };
        var ranking = new RankingOptions
        {
            IncludeSynthetic = kept.Contains("synthetic"), Language = string.IsNullOrWhiteSpace(language) ? null : language.Trim().ToLowerInvariant(),
            MaxPairsPerPost = maxPairsPerPost, DropIdenticalTexts = !kept.Contains("identical-texts"),
        };
        // Discourse: likes under SHP's time rule and ratio, the accepted answer (Solved) one like ahead, as H4 gives it.
        var discourse = stackExchange with { Rule = StackExchangeRule.Shp, AcceptedBonus = true, AllRepliesAreAnswers = allReplies };
        return new PairingSettings(policy, forum, shp, stackExchange, ParseSplits(splits), window, ranking, discourse);
    }

    /// <summary>The policy for a forum: the one asked for, or by source (see <see cref="PolicyChoice"/>).</summary>
    public IPairingPolicy PolicyFor(Forum forum) => (PolicyChoice.For(Policy, forum.Source), forum.Source) switch
    {
        (PolicyChoice.CommonWindow, SourceNames.StackExchange) => new CommonWindowPolicy((Window ?? new()) with
        {
            // As the stackexchange policy: answers start at 0 and may go negative, no score thresholds, edits are normal.
            InitialScore = 0,
            Exclusions = (Window ?? new()).Exclusions with { MinPostScore = int.MinValue, MinCommentScore = int.MinValue, ExcludeEditedPosts = false },
        }),
        (PolicyChoice.CommonWindow, _) => new CommonWindowPolicy(Window ?? new()),
        (PolicyChoice.StackExchange, _) => new StackExchangePolicy(StackExchange),
        (PolicyChoice.Ranking, _) => new RankingPolicy(Ranking ?? new()),
        (PolicyChoice.Discourse, _) => new StackExchangePolicy(Discourse ?? new() { Rule = StackExchangeRule.Shp, AcceptedBonus = true }, PolicyChoice.Discourse),
        _ => new ShpPolicy(Shp),
    };

    /// <summary>Forums matching --forum (a name, or source/name); all forums when it is absent.</summary>
    public IReadOnlyList<Forum> Select(IReadOnlyList<Forum> forums)
    {
        if (Forum is null)
            return forums;
        var wanted = Forum.Trim().ToLowerInvariant();
        var matches = forums.Where(f => f.Name == wanted || f.ToString() == wanted).ToList();
        return matches.Count > 0
            ? matches
            : throw new UsageException($"unknown forum '{Forum}' (the store has: {(forums.Count == 0 ? "none" : string.Join(", ", forums))})");
    }

    private static SplitAssigner ParseSplits(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new UsageException($"--splits must look like 90/5/5, not '{text}'");
        var values = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        if (values.Any(v => v < 0) || total <= 0)
            throw new UsageException($"--splits must be non-negative and not all zero, not '{text}'");
        return new SplitAssigner(values[0] / total, values[1] / total, values[2] / total);
    }
}
