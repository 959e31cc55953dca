using ForumPrefs.Core;
using ForumPrefs.Pairing.NearDuplicates;
using ForumPrefs.Store;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// Near-duplicates across the whole store, found by MinHash LSH in one pass over every forum: questions (title and
/// body) that are near-duplicates form clusters, which go to one split together, whatever forum each came from; answers
/// whose text is in several threads are counted by the number of threads (templates: bots, copypasta, boilerplate);
/// answers shorter than one shingle are left out of that count.
/// </summary>
public sealed class ContentClusters
{
    /// <summary>A post's representative (the smallest post key of its cluster), for posts in clusters of two or more.</summary>
    public required IReadOnlyDictionary<string, string> QuestionRepresentatives { get; init; }
    /// <summary>For answers whose text is in two or more threads: in how many.</summary>
    public required IReadOnlyDictionary<long, int> AnswerCopies { get; init; }
    public int QuestionClusters { get; init; }
    public int CrossForumClusters { get; init; }
    public long Questions { get; init; }
    public long Answers { get; init; }

    public int CopiesOf(long answerKey) => AnswerCopies.TryGetValue(answerKey, out var copies) ? copies : 1;

    public static ContentClusters Build(ForumStore store, NearDuplicateOptions options, Action<long>? progress = null)
    {
        var questions = new LshIndex(options);
        var answers = new LshIndex(options);
        var postKeys = new List<string>();
        var answerKeys = new List<long>();
        var answerThreads = new List<int>();
        long posts = 0;
        foreach (var forum in store.Forums())
        foreach (var thread in store.Threads(forum))
        {
            postKeys.Add(SplitAssigner.PostKey(forum, thread.Post.Id));
            questions.Add(QuestionText(thread.Post.Title, thread.Post.Body));
            foreach (var comment in thread.Comments)
            {
                // Answers shorter than one shingle are common speech ("Congrats!", "Thank you so much"), not templates.
                if (DeletedContent.IsMarker(comment.Comment.Body) || WordCount(comment.Comment.Body) < options.ShingleWords)
                    continue;
                answers.Add(comment.Comment.Body);
                answerKeys.Add(comment.Key);
                answerThreads.Add(postKeys.Count - 1);
            }
            if (++posts % 1000 == 0)
                progress?.Invoke(posts);
        }
        progress?.Invoke(posts);

        var questionSets = questions.Clusters();
        var members = new Dictionary<int, List<int>>();
        for (var i = 0; i < postKeys.Count; i++)
            if (questionSets.SizeOf(i) > 1)
                (members.TryGetValue(questionSets.Find(i), out var list) ? list : members[questionSets.Find(i)] = []).Add(i);
        var representatives = new Dictionary<string, string>();
        var crossForum = 0;
        foreach (var cluster in members.Values)
        {
            var keys = cluster.Select(i => postKeys[i]).ToList();
            var representative = keys.Min(StringComparer.Ordinal)!;
            foreach (var key in keys)
                representatives[key] = representative;
            crossForum += keys.Select(ForumOf).Distinct().Count() > 1 ? 1 : 0;
        }

        // Threads per answer cluster: answers arrive thread by thread, so a cluster's thread count grows each time a
        // member turns up in a thread other than the last one it was seen in.
        var answerSets = answers.Clusters();
        var lastThread = new int[answerKeys.Count];
        var threads = new int[answerKeys.Count];
        Array.Fill(lastThread, -1);
        for (var i = 0; i < answerKeys.Count; i++)
        {
            var root = answerSets.Find(i);
            if (lastThread[root] != answerThreads[i])
                (lastThread[root], threads[root]) = (answerThreads[i], threads[root] + 1);
        }
        var copies = new Dictionary<long, int>();
        for (var i = 0; i < answerKeys.Count; i++)
            if (threads[answerSets.Find(i)] > 1)
                copies[answerKeys[i]] = threads[answerSets.Find(i)];

        return new ContentClusters
        {
            QuestionRepresentatives = representatives, AnswerCopies = copies, QuestionClusters = members.Count,
            CrossForumClusters = crossForum, Questions = postKeys.Count, Answers = answerKeys.Count,
        };
    }

    public static string QuestionText(string title, string body) =>
        DeletedContent.IsMarker(body) || body.Length == 0 ? title : $"{title}\n{body}";

    private static int WordCount(string text)
    {
        var words = 0;
        for (var i = 0; i < text.Length; i++)
            if (char.IsLetterOrDigit(text[i]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
                words++;
        return words;
    }

    private static string ForumOf(string postKey) => postKey[..postKey.LastIndexOf('\u001f')];
}
