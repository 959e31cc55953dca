using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Sources.RedditApi;
using ForumPrefs.Store;
using System.Text.Json;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Crawls listings and comment trees into the store. A listing page's checkpoint (its <c>after</c> cursor) is saved
/// once its posts are stored; each finished post is saved with its own checkpoint in the same transaction, so a
/// killed crawl restarts at the last page and skips the posts it already has.
/// </summary>
internal sealed class RedditCrawlJob(CliIO io, ForumStore store, RedditClient client, CommentTreeFetcher fetcher, TimeProvider time, bool refresh)
{
    public const string Source = "reddit-api";
    private static readonly JsonSerializerOptions Json = JsonDefaults.SnakeCase;

    public sealed class Summary
    {
        public long Posts { get; set; }
        public long Comments { get; set; }
        public long AlreadyStored { get; set; }
        public long UnexpandedComments { get; set; }
        public long UnfollowedContinueLinks { get; set; }
        /// <summary>Requests spent on comment trees (first pages, morechildren, continue links).</summary>
        public long TreeRequests { get; set; }
    }

    private sealed record ListingState(string? After, int Fetched, bool Done);

    public Summary Result { get; } = new();

    public string Detail() =>
        $"{Result.Comments:N0} comments, {client.Requests:N0} requests, quota left {client.Limiter.Remaining?.ToString() ?? "?"}";

    public async Task ListingAsync(string subreddit, string sort, string period, int limit, bool postsOnly, CancellationToken cancellationToken)
    {
        var key = $"listing:{subreddit.ToLowerInvariant()}:{sort}:{period}:{limit}{(postsOnly ? ":posts-only" : "")}";
        var saved = refresh ? null : store.GetCheckpoint(Source, key);
        var state = saved is null ? new ListingState(null, 0, false) : JsonSerializer.Deserialize<ListingState>(saved.State, Json)!;
        if (state.Done)
        {
            io.Error.WriteLine($"r/{subreddit} {sort}/{period} was crawled to the end already (use --refresh to crawl it again)");
            return;
        }
        if (state.Fetched > 0)
            io.Error.WriteLine($"resuming r/{subreddit} after {state.Fetched:N0} posts");
        var reader = new ListingReader(client);
        await ProgressDisplay.RunAsync(io, $"r/{subreddit}", limit, "posts", async progress =>
        {
            progress.Report(state.Fetched);
            while (!state.Done)
            {
                var page = await reader.PageAsync(subreddit, sort, period, Math.Min(100, limit - state.Fetched), state.After, cancellationToken);
                var posts = page.Posts.Take(limit - state.Fetched).ToList();
                if (!postsOnly)
                {
                    foreach (var (_, post) in posts)
                    {
                        await PostAsync(post.Id, cancellationToken);
                        progress.Report(state.Fetched + 1);
                        state = state with { Fetched = state.Fetched + 1 };
                    }
                }
                else
                {
                    state = state with { Fetched = state.Fetched + posts.Count };
                    Result.Posts += posts.Count;
                }
                state = state with { After = page.After, Done = page.After is null || state.Fetched >= limit || page.Posts.Count == 0 };
                var checkpoint = new Checkpoint(Source, key, JsonSerializer.Serialize(state, Json), DateTimeOffset.UtcNow);
                // Posts-only pages commit with their checkpoint; full pages after their posts, each stored with its own.
                store.WriteThreads(postsOnly ? posts.Select(p => new ForumThread(p.Forum, p.Post, [], time.GetUtcNow())).ToList() : [], checkpoint);
                progress.Report(state.Fetched);
            }
        }, Detail);
    }

    public async Task PostsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await ProgressDisplay.RunAsync(io, "posts", ids.Count, "posts", async progress =>
        {
            for (var i = 0; i < ids.Count; i++)
            {
                await PostAsync(ids[i], cancellationToken);
                progress.Report(i + 1);
            }
        }, Detail);
    }

    /// <summary>Fetches one post's whole tree and stores it with its checkpoint, unless it is already stored.</summary>
    private async Task PostAsync(string id, CancellationToken cancellationToken)
    {
        var key = $"post:{id}";
        if (!refresh && store.GetCheckpoint(Source, key) is not null)
        {
            Result.AlreadyStored++;
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var fetched = await fetcher.FetchAsync(id, cancellationToken);
        var state = JsonSerializer.Serialize(new
        {
            comments = fetched.Thread.Comments.Count,
            requests = fetched.Requests,
            unexpanded_comments = fetched.UnexpandedComments,
            unfollowed_continue_links = fetched.UnfollowedContinueLinks,
        });
        store.WriteThreads([fetched.Thread], new Checkpoint(Source, key, state, DateTimeOffset.UtcNow));
        Result.Posts++;
        Result.Comments += fetched.Thread.Comments.Count;
        Result.UnexpandedComments += fetched.UnexpandedComments;
        Result.TreeRequests += fetched.Requests;
        Result.UnfollowedContinueLinks += fetched.UnfollowedContinueLinks;
    }
}
