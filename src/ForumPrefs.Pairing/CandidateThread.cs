using ForumPrefs.Core;

namespace ForumPrefs.Pairing;

/// <summary>A comment as pairing sees it: its score, when that score was read, and (simulated sources) its true quality.</summary>
public sealed record CandidateAnswer(Comment Comment, DateTimeOffset Observed, double? Quality = null, long StoreKey = 0)
{
    /// <summary>Every score sighting in time order, for policies that compare votes over time (else null).</summary>
    public IReadOnlyList<(DateTimeOffset At, int Score)>? Timeline { get; init; }
}

/// <summary>A post with all its stored comments, the unit a policy turns into pairs.</summary>
public sealed record CandidateThread(Forum Forum, Post Post, IReadOnlyList<CandidateAnswer> Answers, long StoreKey = 0)
{
    /// <summary>For threads built in memory (tests, sources): every score read at the thread's observation time.</summary>
    public static CandidateThread From(ForumThread thread) => new(thread.Forum, thread.Post,
        thread.Comments.Select(c => new CandidateAnswer(c, thread.Observed,
            thread.GroundTruth is { } truth && truth.TryGetValue(c.Id, out var q) ? q : null)).ToList());
}
