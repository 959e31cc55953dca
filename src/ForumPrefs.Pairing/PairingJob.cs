using ForumPrefs.Core;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForumPrefs.Pairing;

/// <summary>Builds one forum's pairs with a policy and stores them as that (policy, forum)'s run, replacing the last one.</summary>
public static class PairingJob
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public sealed record Result(Forum Forum, RejectionReport Report, PairDiagnostics Diagnostics, long Pairs);

    public static Result Run(ForumStore store, Forum forum, IPairingPolicy policy, SplitAssigner splits, Action<long>? progress = null)
    {
        var report = new RejectionReport();
        var diagnostics = new PairDiagnostics();
        var stored = PairRunWriter.Replace(store, policy.Name, forum, JsonSerializer.Serialize(policy.Options, policy.Options.GetType(), Json),
            Pairs(store, forum, policy, splits, report, diagnostics, progress), () => JsonSerializer.Serialize(report, Json));
        return new Result(forum, report, diagnostics, stored);
    }

    /// <summary>Pairs of one forum, thread by thread, without storing them (used by the benchmark and by Run).</summary>
    public static IEnumerable<StoredPair> Pairs(ForumStore store, Forum forum, IPairingPolicy policy, SplitAssigner splits,
        RejectionReport report, PairDiagnostics diagnostics, Action<long>? progress = null)
    {
        var buffer = new List<PolicyPair>();
        long threads = 0;
        foreach (var thread in CandidateReader.Read(store, forum, policy.NeedsTimelines))
        {
            buffer.Clear();
            policy.Build(thread, report, buffer);
            var split = splits.SplitOf(forum, thread.Post.Id);
            foreach (var pair in buffer)
            {
                var preferredIsA = SplitAssigner.PreferredIsA(thread.Post.Id, pair.Preferred.Comment.Id, pair.Other.Comment.Id);
                diagnostics.Add(thread.Post.Id, pair.Preferred.Comment.Body, pair.Other.Comment.Body, pair.ScoreRatio,
                    pair.Preferred.Quality, pair.Other.Quality, preferredIsA ? 1 : 0, split, pair.Margin);
                yield return new StoredPair(thread.StoreKey, pair.Preferred.StoreKey, pair.Other.StoreKey,
                    pair.Preferred.Comment.Score, pair.Other.Comment.Score, pair.ScoreRatio, pair.Margin, split, preferredIsA, pair.Window);
            }
            if (++threads % 1000 == 0)
                progress?.Invoke(threads);
        }
        progress?.Invoke(threads);
    }
}
