using ForumPrefs.Core;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// A post's comment tree, how many requests it took, and what was left unfetched: only where the user set a bound
/// (<see cref="RedditOptions.MaxRequestsPerPost"/>, <see cref="RedditOptions.MaxDepth"/>) or Reddit kept refusing ids.
/// </summary>
public sealed record FetchedThread(ForumThread Thread, int Requests, int UnexpandedComments, int UnfollowedContinueLinks, int BadThings = 0);

/// <summary>
/// Fetches a post's whole comment tree: the first page, then every unloaded comment through /api/morechildren and
/// every "continue this thread" link (/comments/{post}/_/{comment}). Requests are the crawl's cost (about 100 a minute
/// on the free tier), so morechildren is asked for up to 100 ids a call, taken from all the post's pending 'more'
/// objects at once; Reddit answers with part of them and new 'more' objects for the rest, which join the queue.
/// Depths are worked out from the parent links once the tree is complete.
/// </summary>
public sealed class CommentTreeFetcher(RedditClient client, RedditOptions options, TimeProvider time)
{
    private const int MaxIdsPerCall = 100;
    // Answers in a row that bring no new comment before the ids still pending are given up (and counted).
    private const int MaxStalls = 3;

    public async Task<FetchedThread> FetchAsync(string postId, CancellationToken cancellationToken = default)
    {
        var page = new CommentPage();
        var requests = 1;
        Forum forum;
        Post post;
        using (var first = await client.GetAsync($"comments/{postId}?raw_json=1&sort=confidence&limit=2048", cancellationToken))
            (forum, post) = page.AddPage(first.RootElement);

        var left = new HashSet<string>();
        var stalls = 0;
        var unfollowed = 0;
        while (page.PendingMoreIds > 0 || page.PendingLinks.Count > 0)
        {
            if (requests >= options.MaxRequestsPerPost)
            {
                left.UnionWith(page.TakeMoreIds(int.MaxValue));
                unfollowed += page.PendingLinks.Count;
                page.PendingLinks.Clear();
                break;
            }
            if (page.PendingMoreIds > 0)
            {
                var ids = page.TakeMoreIds(MaxIdsPerCall);
                if (ids.Count == 0)
                    continue;
                requests++;
                var before = page.Comments.Count;
                using var json = await client.PostFormAsync("api/morechildren?raw_json=1",
                [
                    new("api_type", "json"), new("children", string.Join(',', ids)),
                    new("link_id", $"t3_{post.Id}"), new("sort", "confidence"),
                ], cancellationToken);
                page.AddMoreChildren(json.RootElement);
                // An id neither served nor offered again in a new 'more' object was left out by Reddit (deleted since).
                left.UnionWith(ids.Where(id => !page.Comments.ContainsKey(id) && !page.IsPending(id)));
                stalls = page.Comments.Count > before ? 0 : stalls + 1;
                if (stalls >= MaxStalls)
                    left.UnionWith(page.TakeMoreIds(int.MaxValue));
                continue;
            }
            var parent = page.PendingLinks.Dequeue();
            if (Depth(parent, post.Id, page.Comments) + 1 > options.MaxDepth)
            {
                unfollowed++;
                continue;
            }
            requests++;
            using (var json = await client.GetAsync($"comments/{post.Id}/_/{parent}?raw_json=1&sort=confidence&limit=2048", cancellationToken))
                page.AddContinuation(json.RootElement);
        }
        left.ExceptWith(page.Comments.Keys);
        var unexpanded = left.Count;

        var withDepth = page.Comments.Values.Select(c => c with { Depth = Depth(c.Id, post.Id, page.Comments) }).ToList();
        return new FetchedThread(new ForumThread(forum, post, withDepth, time.GetUtcNow()), requests, unexpanded, unfollowed, page.BadThings);
    }

    /// <summary>Steps from a comment up to the post; -1 if a parent is missing.</summary>
    internal static int Depth(string id, string postId, Dictionary<string, Comment> comments)
    {
        var depth = -1;
        for (var current = id; current != postId; depth++)
        {
            if (!comments.TryGetValue(current, out var comment) || depth > 10_000)
                return -1;
            current = comment.ParentId;
        }
        return depth;
    }
}
