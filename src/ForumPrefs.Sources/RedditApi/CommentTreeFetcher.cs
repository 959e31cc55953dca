using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>A post's complete thread, and how much of it was left unfetched (bounded by the request budget or depth).</summary>
public sealed record FetchedThread(ForumThread Thread, int Requests, int UnexpandedComments, int UnfollowedContinueLinks, int BadThings = 0);

/// <summary>
/// Fetches a post's whole comment tree: the first page, then every <c>more</c> object through /api/morechildren
/// (one call per object, at most 100 ids a call, one call at a time) and every "continue this thread" link
/// (/comments/{post}/_/{comment}). Depths are worked out from the parent links once the tree is complete.
/// </summary>
public sealed class CommentTreeFetcher(RedditClient client, RedditOptions options, TimeProvider time)
{
    private const int MaxIdsPerCall = 100;

    public async Task<FetchedThread> FetchAsync(string postId, CancellationToken cancellationToken = default)
    {
        var page = new CommentPage();
        var requests = 1;
        Forum forum;
        Post post;
        using (var first = await client.GetAsync($"comments/{postId}?raw_json=1&sort=confidence&limit=2048", cancellationToken))
            (forum, post) = page.AddPage(first.RootElement);

        var unexpanded = 0;
        var unfollowed = 0;
        while (page.Pending.TryDequeue(out var next))
        {
            if (requests >= options.MaxRequestsPerPost)
            {
                if (next is CommentPage.MoreIds skipped)
                    unexpanded += Math.Max(skipped.Count, skipped.Ids.Count);
                else
                    unfollowed++;
                continue;
            }
            switch (next)
            {
                case CommentPage.MoreIds more:
                    foreach (var chunk in more.Ids.Chunk(MaxIdsPerCall))
                    {
                        requests++;
                        using var json = await client.PostFormAsync("api/morechildren?raw_json=1",
                        [
                            new("api_type", "json"), new("children", string.Join(',', chunk)),
                            new("link_id", $"t3_{post.Id}"), new("sort", "confidence"),
                        ], cancellationToken);
                        page.AddMoreChildren(json.RootElement);
                    }
                    break;
                case CommentPage.ContinueLink link when Depth(link.ParentId, post.Id, page.Comments) + 1 > options.MaxDepth:
                    unfollowed++;
                    break;
                case CommentPage.ContinueLink link:
                    requests++;
                    using (var json = await client.GetAsync($"comments/{post.Id}/_/{link.ParentId}?raw_json=1&sort=confidence&limit=2048", cancellationToken))
                        page.AddContinuation(json.RootElement);
                    break;
            }
        }

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
