using ForumPrefs.Core;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Pairing.Screens;
using ForumPrefs.Store;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    public static Result Run(ForumStore store, Forum forum, IPairingPolicy policy, PairingScreens screens, Action<long>? progress = null)
    {
        var report = new RejectionReport();
        var diagnostics = new PairDiagnostics();
        var stored = PairRunWriter.Replace(store, policy.Name, forum, Options(policy, screens),
            Pairs(store, forum, policy, screens, report, diagnostics, progress), () => JsonSerializer.Serialize(report, Json));
        return new Result(forum, report, diagnostics, stored);
    }

    /// <summary>Without content rules: the policy's own rules and plain splits.</summary>
    public static Result Run(ForumStore store, Forum forum, IPairingPolicy policy, SplitAssigner splits, Action<long>? progress = null) =>
        Run(store, forum, policy, PairingScreens.None(splits), progress);

    /// <summary>The run's options as stored: the policy's, and its screens' under "screens".</summary>
    public static string Options(IPairingPolicy policy, PairingScreens screens)
    {
        var options = JsonSerializer.SerializeToNode(policy.Options, policy.Options.GetType(), Json)!.AsObject();
        options["screens"] = screens.Describe();
        return options.ToJsonString();
    }

    /// <summary>Pairs of one forum, thread by thread, without storing them (used by the benchmark and by Run).</summary>
    public static IEnumerable<StoredPair> Pairs(ForumStore store, Forum forum, IPairingPolicy policy, PairingScreens screens,
        RejectionReport report, PairDiagnostics diagnostics, Action<long>? progress = null)
    {
        var buffer = new List<PolicyPair>();
        long threads = 0;
        foreach (var thread in CandidateReader.Read(store, forum, policy.NeedsTimelines))
        {
            buffer.Clear();
            if (screens.Thread.Apply(thread, report) is { } screened)
                policy.Build(screened, report, buffer);
            if (buffer.Count > 0)
            {
                var split = screens.Splits.SplitOf(forum, thread.Post.Id);
                var language = screens.Thread.PairLanguage(thread, buffer);
                NoteCluster(screens, forum, thread.Post.Id, report);
                foreach (var pair in buffer)
                {
                    var preferredIsA = SplitAssigner.PreferredIsA(thread.Post.Id, pair.Preferred.Comment.Id, pair.Other.Comment.Id);
                    diagnostics.Add(thread.Post.Id, pair.Preferred.Comment.Body, pair.Other.Comment.Body, pair.ScoreRatio,
                        pair.Preferred.Quality, pair.Other.Quality, preferredIsA ? 1 : 0, split, pair.Margin);
                    yield return new StoredPair(thread.StoreKey, pair.Preferred.StoreKey, pair.Other.StoreKey,
                        pair.Preferred.Comment.Score, pair.Other.Comment.Score, pair.ScoreRatio, pair.Margin, split, preferredIsA, pair.Window,
                        language);
                }
            }
            if (++threads % 1000 == 0)
                progress?.Invoke(threads);
        }
        progress?.Invoke(threads);
    }

    /// <summary>Counts a paired post that is in a question cluster, and whether its split is the cluster's rather than its own.</summary>
    private static void NoteCluster(PairingScreens screens, Forum forum, string postId, RejectionReport report)
    {
        if (screens.Clusters?.QuestionRepresentatives.ContainsKey(SplitAssigner.PostKey(forum, postId)) != true)
            return;
        report.Note(ThreadScreen.Notes.ClusteredPosts);
        if (screens.Splits.Moved(forum, postId))
            report.Note(ThreadScreen.Notes.MovedPosts);
    }
}
