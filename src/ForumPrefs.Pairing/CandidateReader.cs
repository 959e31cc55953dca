using ForumPrefs.Core;
using ForumPrefs.Store;

namespace ForumPrefs.Pairing;

/// <summary>A forum's stored threads as pairing sees them, streamed one thread at a time from the store.</summary>
public static class CandidateReader
{
    public static IEnumerable<CandidateThread> Read(ForumStore store, Forum forum, bool withTimelines = false) =>
        store.Threads(forum, withTimelines).Select(t => new CandidateThread(t.Forum, t.Post,
            t.Comments.Select(c => new CandidateAnswer(c.Comment, c.Observed, c.Quality, c.Key) { Timeline = c.Timeline }).ToList(), t.Key));
}
