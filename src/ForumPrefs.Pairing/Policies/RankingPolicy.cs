using ForumPrefs.Pairing.Screens;
using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Pairing.Policies;

/// <summary>
/// Pairs OpenAssistant replies by their human ranking: sibling assistant replies to the same prompt, the better-ranked
/// one preferred (rank 0 is best). The question is the conversation so far, so replies deep in a tree pair too.
/// Deleted and review-failed messages, model-written ones (unless asked for) and everything under them are left out,
/// each under its own rule. The ratio is (1 + other rank) / (1 + preferred rank), the margin the rank difference.
/// </summary>
public sealed class RankingPolicy(RankingOptions options, PairScreen? screen = null) : IPairingPolicy
{
    public string Name => PolicyChoice.Ranking;
    public object Options => options;

    private sealed record Meta(string Role, string? Lang, int? Rank, bool Synthetic, bool Deleted, bool? ReviewResult);

    public void Build(CandidateThread thread, RejectionReport report, List<PolicyPair> pairs)
    {
        report.PostsSeen++;
        report.CommentsSeen += thread.Answers.Count;
        var prompt = Read(thread.Post.Meta);
        var postRule =
            prompt is null ? Rules.NoRankings
            : prompt.Deleted || prompt.ReviewResult == false ? Rules.MessageRemoved
            : !options.IncludeSynthetic && prompt.Synthetic ? Rules.Synthetic
            : options.Language is { } language && !language.Split(',').Contains(prompt.Lang ?? "", StringComparer.OrdinalIgnoreCase) ? Rules.OtherLanguage
            : null;
        if (postRule is not null)
        {
            report.Count(RuleLevel.Post, postRule);
            report.Count(RuleLevel.Comment, Rules.PostRejected, thread.Answers.Count);
            return;
        }

        var byId = thread.Answers.ToDictionary(a => a.Comment.Id);
        var metas = thread.Answers.ToDictionary(a => a.Comment.Id, a => Read(a.Comment.Meta));
        // A message is usable when it and every message above it passed the message rules: a reply under a removed or
        // model-written turn would carry that turn in its question.
        var usable = new Dictionary<string, bool>();
        bool Usable(string id)
        {
            if (usable.TryGetValue(id, out var known))
                return known;
            usable[id] = false; // a parent loop (corrupt data) ends here
            var answer = byId[id];
            var ok = MessageRule(answer, metas[id]) is null
                     && (answer.Comment.ParentId == thread.Post.Id || (byId.ContainsKey(answer.Comment.ParentId) && Usable(answer.Comment.ParentId)));
            return usable[id] = ok;
        }

        var eligible = new List<CandidateAnswer>();
        foreach (var answer in thread.Answers)
        {
            var meta = metas[answer.Comment.Id];
            var rule = meta?.Role != OasstRoles.Assistant ? Rules.PrompterTurn
                : MessageRule(answer, meta)
                ?? (answer.Comment.ParentId != thread.Post.Id && !(byId.ContainsKey(answer.Comment.ParentId) && Usable(answer.Comment.ParentId)) ? Rules.UnderRemovedMessage : null)
                ?? (meta.Rank is null ? Rules.Unranked : null);
            if (rule is not null)
                report.Count(RuleLevel.Comment, rule);
            else
                eligible.Add(answer);
        }

        var start = pairs.Count;
        var kept = 0;
        foreach (var siblings in eligible.GroupBy(a => a.Comment.ParentId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var group = siblings.OrderBy(a => metas[a.Comment.Id]!.Rank).ThenBy(a => a.Comment.Id, StringComparer.Ordinal).ToList();
            if (group.Count < 2)
            {
                report.Count(RuleLevel.Comment, Rules.TooFewAnswers, group.Count);
                continue;
            }
            kept += group.Count;
            for (var i = 0; i < group.Count; i++)
            for (var j = i + 1; j < group.Count; j++)
            {
                report.CandidatePairs++;
                var (better, worse) = (group[i], group[j]);
                var (rankBetter, rankWorse) = (metas[better.Comment.Id]!.Rank!.Value, metas[worse.Comment.Id]!.Rank!.Value);
                var rule = rankBetter == rankWorse ? Rules.EqualRanks
                    : options.DropIdenticalTexts && TextNormalizer.SameText(better.Comment.Body, worse.Comment.Body) ? Rules.IdenticalTexts
                    : (screen ?? PairScreen.None).Rule(better, worse);
                if (rule is not null)
                    report.Count(RuleLevel.Pair, rule);
                else
                    pairs.Add(new PolicyPair(better, worse, (1.0 + rankWorse) / (1.0 + rankBetter), rankWorse - rankBetter));
            }
        }
        if (kept == 0)
            report.Count(RuleLevel.Post, Rules.TooFewAnswers);
        else
        {
            report.PostsKept++;
            report.CommentsKept += kept;
        }
        PairCap.Apply(pairs, start, options.MaxPairsPerPost, report);
        report.PairsKept += pairs.Count - start;
    }

    private string? MessageRule(CandidateAnswer answer, Meta? meta) =>
        meta is null ? null
        : meta.Deleted || meta.ReviewResult == false ? Rules.MessageRemoved
        : !options.IncludeSynthetic && meta.Synthetic ? Rules.Synthetic
        : string.IsNullOrWhiteSpace(answer.Comment.Body) ? Rules.EmptyText
        : null;

    /// <summary>The fields this policy reads from a message's meta (null for items of other sources).</summary>
    private static Meta? Read(string? json)
    {
        if (json is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var m = document.RootElement;
            string? Text(string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            bool? Flag(string name) => m.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
            int? rank = m.TryGetProperty("rank", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : null;
            return new Meta(Text("role") ?? "", Text("lang"), rank, Flag("synthetic") ?? false, Flag("deleted") ?? false, Flag("review_result"));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
