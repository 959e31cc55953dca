using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>A post's complete thread, and how much of it was left unfetched (bounded by the request budget or depth).</summary>
public sealed record FetchedThread(ForumThread Thread, int Requests, int UnexpandedComments, int UnfollowedContinueLinks);

/// <summary>
/// Fetches a post's whole comment tree: the first page, then every <c>more</c> object through /api/morechildren
/// (one call per object, at most 100 ids a call, one call at a time) and every "continue this thread" link
/// (/comments/{post}/_/{comment}). Depths are worked out from the parent links once the tree is complete.
/// </summary>
public sealed class CommentTreeFetcher(RedditClient client, RedditOptions options, TimeProvider time)
{
    private const int MaxIdsPerCall = 100;

    private abstract record Pending;
    private sealed record MoreIds(IReadOnlyList<string> Ids, int Count) : Pending;
    private sealed record ContinueLink(string ParentId) : Pending;

    public async Task<FetchedThread> FetchAsync(string postId, CancellationToken cancellationToken = default)
    {
        var comments = new Dictionary<string, Comment>();
        var pending = new Queue<Pending>();
        var requests = 1;
        Forum forum;
        Post post;
        using (var page = await client.GetAsync($"comments/{postId}?raw_json=1&sort=confidence&limit=2048", cancellationToken))
        {
            var postData = page.RootElement[0].GetProperty("data").GetProperty("children")[0].GetProperty("data");
            forum = RedditThings.ForumOf(postData);
            post = RedditThings.Post(postData);
            Walk(page.RootElement[1].GetProperty("data").GetProperty("children"), comments, pending);
        }

        var unexpanded = 0;
        var unfollowed = 0;
        while (pending.TryDequeue(out var next))
        {
            if (requests >= options.MaxRequestsPerPost)
            {
                Count(next, ref unexpanded, ref unfollowed);
                continue;
            }
            switch (next)
            {
                case MoreIds more:
                    foreach (var chunk in more.Ids.Chunk(MaxIdsPerCall))
                    {
                        requests++;
                        using var json = await client.PostFormAsync("api/morechildren?raw_json=1",
                        [
                            new("api_type", "json"), new("children", string.Join(',', chunk)),
                            new("link_id", $"t3_{post.Id}"), new("sort", "confidence"),
                        ], cancellationToken);
                        Walk(json.RootElement.GetProperty("json").GetProperty("data").GetProperty("things"), comments, pending);
                    }
                    break;
                case ContinueLink link when Depth(link.ParentId, post.Id, comments) + 1 > options.MaxDepth:
                    unfollowed++;
                    break;
                case ContinueLink link:
                    requests++;
                    using (var json = await client.GetAsync($"comments/{post.Id}/_/{link.ParentId}?raw_json=1&sort=confidence&limit=2048", cancellationToken))
                        Walk(json.RootElement[1].GetProperty("data").GetProperty("children"), comments, pending);
                    break;
            }
        }

        var withDepth = comments.Values.Select(c => c with { Depth = Depth(c.Id, post.Id, comments) }).ToList();
        return new FetchedThread(new ForumThread(forum, post, withDepth, time.GetUtcNow()), requests, unexpanded, unfollowed);
    }

    private static void Count(Pending item, ref int unexpanded, ref int unfollowed)
    {
        if (item is MoreIds more)
            unexpanded += Math.Max(more.Count, more.Ids.Count);
        else
            unfollowed++;
    }

    /// <summary>Adds t1 comments (and their nested replies) and queues more objects and continue links.</summary>
    private static void Walk(JsonElement children, Dictionary<string, Comment> comments, Queue<Pending> pending)
    {
        foreach (var child in children.EnumerateArray())
        {
            var data = child.GetProperty("data");
            switch (child.GetProperty("kind").GetString())
            {
                case "t1":
                    var comment = RedditThings.Comment(data);
                    comments[comment.Id] = comment;
                    if (data.TryGetProperty("replies", out var replies) && replies.ValueKind == JsonValueKind.Object)
                        Walk(replies.GetProperty("data").GetProperty("children"), comments, pending);
                    break;
                case "more":
                    var ids = data.GetProperty("children").EnumerateArray().Select(id => id.GetString()!).ToList();
                    if (ids.Count > 0)
                        pending.Enqueue(new MoreIds(ids, data.TryGetProperty("count", out var count) ? count.GetInt32() : ids.Count));
                    else if (data.GetProperty("id").GetString() == "_")
                        pending.Enqueue(new ContinueLink(RedditThings.StripKind(data.GetProperty("parent_id").GetString()!)));
                    break;
            }
        }
    }

    /// <summary>Steps from a comment up to the post; -1 if a parent is missing.</summary>
    private static int Depth(string id, string postId, Dictionary<string, Comment> comments)
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
