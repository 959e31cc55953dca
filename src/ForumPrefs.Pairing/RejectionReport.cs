using System.Text.Json.Serialization;

namespace ForumPrefs.Pairing;

/// <summary>
/// Why a dataset is the size it is: how many posts, comments and candidate pairs each rule removed. Each item is
/// counted under the first rule that removed it, so the counts add up.
/// </summary>
public sealed class RejectionReport
{
    private readonly List<RuleCount> _rules = [];

    public RejectionReport()
    {
    }

    /// <summary>For reading a stored report back.</summary>
    [JsonConstructor]
    public RejectionReport(IReadOnlyList<RuleCount>? rules) => _rules.AddRange(rules ?? []);

    public long PostsSeen { get; set; }
    public long PostsKept { get; set; }
    public long CommentsSeen { get; set; }
    public long CommentsKept { get; set; }
    public long CandidatePairs { get; set; }
    public long PairsKept { get; set; }

    /// <summary>What was counted without being removed (copied answers, question clusters), by name.</summary>
    public Dictionary<string, long> Noted { get; init; } = [];

    public void Note(string name, long count = 1) => Noted[name] = Noted.GetValueOrDefault(name) + count;

    /// <summary>Rules that removed something, by level and then in the order they are checked.</summary>
    public IReadOnlyList<RuleCount> Rules => _rules
        .OrderBy(r => r.Level)
        .ThenBy(r => Array.IndexOf(Policies.Rules.Order, r.Rule) is var i && i >= 0 ? i : int.MaxValue)
        .ToList();

    public void Count(RuleLevel level, string rule, long count = 1)
    {
        var index = _rules.FindIndex(r => r.Level == level && r.Rule == rule);
        if (index < 0)
            _rules.Add(new RuleCount(level, rule, count));
        else
            _rules[index] = _rules[index] with { Removed = _rules[index].Removed + count };
    }

    public long Removed(RuleLevel level, string rule) =>
        _rules.FirstOrDefault(r => r.Level == level && r.Rule == rule)?.Removed ?? 0;

    /// <summary>Everything one level's rules removed; seen = kept + this at every level.</summary>
    public long Removed(RuleLevel level) => _rules.Where(r => r.Level == level).Sum(r => r.Removed);

    public void Add(RejectionReport other)
    {
        PostsSeen += other.PostsSeen;
        PostsKept += other.PostsKept;
        CommentsSeen += other.CommentsSeen;
        CommentsKept += other.CommentsKept;
        CandidatePairs += other.CandidatePairs;
        PairsKept += other.PairsKept;
        foreach (var rule in other.Rules)
            Count(rule.Level, rule.Rule, rule.Removed);
        foreach (var (name, count) in other.Noted)
            Note(name, count);
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<RuleLevel>))]
public enum RuleLevel
{
    Post,
    Comment,
    Pair,
}

public sealed record RuleCount(RuleLevel Level, string Rule, long Removed);
