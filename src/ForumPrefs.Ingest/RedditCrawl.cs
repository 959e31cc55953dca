using ForumPrefs.Core;
using ForumPrefs.Sources.RedditApi;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>
/// Crawls listings and comment trees into the store. A listing page's checkpoint (its <c>after</c> cursor) is saved
/// once its posts are stored; each finished post is saved with its own checkpoint in the same transaction, so a
/// killed crawl restarts at the last page and skips the posts it already has. Progress is reported in posts.
/// </summary>
public sealed class RedditCrawl(ForumStore store, RedditClient client, CommentTreeFetcher fetcher, TimeProvider time, bool refresh)
{
    public const string Source = "reddit-api";

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

    public sealed class ListingState : IngestState
    {
        public string? After { get; set; }
        public int Fetched { get; set; }
    }

    public sealed class PostState : IngestState
    {
        public long Comments { get; set; }
        public long Requests { get; set; }
        public long UnexpandedComments { get; set; }
        public long UnfollowedContinueLinks { get; set; }
    }

    public Summary Result { get; } = new();

    /// <summary>Live figures for a progress bar.</summary>
    public string Detail() =>
        $"{Result.Comments:N0} comments, {client.Requests:N0} requests, quota left {client.Limiter.Remaining?.ToString() ?? "?"}";

    public async Task ListingAsync(string subreddit, string sort, string period, int limit, bool postsOnly, IngestReporter reporter,
        CancellationToken cancellationToken)
    {
        var key = $"listing:{subreddit.ToLowerInvariant()}:{sort}:{period}:{limit}{(postsOnly ? ":posts-only" : "")}";
        var batch = new CheckpointedBatch<ListingState>(store, Source, key, batchItems: 100, fresh: refresh);
        var state = batch.State;
        if (state.Done)
        {
            reporter.Notice($"r/{subreddit} {sort}/{period} was crawled to the end already (use --refresh to crawl it again)");
            return;
        }
        if (state.Fetched > 0)
            reporter.Notice($"resuming r/{subreddit} after {state.Fetched:N0} posts");
        var reader = new ListingReader(client);
        reporter.Progress.Report(new(state.Fetched, limit));
        while (!state.Done)
        {
            var page = await reader.PageAsync(subreddit, sort, period, Math.Min(100, limit - state.Fetched), state.After, cancellationToken);
            var posts = page.Posts.Take(limit - state.Fetched).ToList();
            foreach (var (forum, post) in posts)
            {
                if (postsOnly)
                {
                    // Posts-only pages commit with their checkpoint; full pages after their posts, each stored with its own.
                    batch.Add(new ForumThread(forum, post, [], time.GetUtcNow()));
                    Result.Posts++;
                }
                else
                    await PostAsync(post.Id, cancellationToken);
                state.Fetched++;
                reporter.Progress.Report(new(state.Fetched, limit));
            }
            state.After = page.After;
            state.Done = page.After is null || state.Fetched >= limit || page.Posts.Count == 0;
            batch.Commit();
        }
    }

    public async Task PostsAsync(IReadOnlyList<string> ids, IngestReporter reporter, CancellationToken cancellationToken)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            await PostAsync(ids[i], cancellationToken);
            reporter.Progress.Report(new(i + 1, ids.Count));
        }
    }

    /// <summary>Fetches one post's whole tree and stores it with its checkpoint, unless it is already stored.</summary>
    private async Task PostAsync(string id, CancellationToken cancellationToken)
    {
        FetchedThread? fetched = null;
        var stored = await CheckpointedUnit.StoreOnceAsync(store, Source, $"post:{id}", refresh, async () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            fetched = await fetcher.FetchAsync(id, cancellationToken);
            return (fetched.Thread, new PostState
            {
                Comments = fetched.Thread.Comments.Count, Requests = fetched.Requests,
                UnexpandedComments = fetched.UnexpandedComments, UnfollowedContinueLinks = fetched.UnfollowedContinueLinks,
            });
        });
        if (!stored)
        {
            Result.AlreadyStored++;
            return;
        }
        Result.Posts++;
        Result.Comments += fetched!.Thread.Comments.Count;
        Result.UnexpandedComments += fetched.UnexpandedComments;
        Result.TreeRequests += fetched.Requests;
        Result.UnfollowedContinueLinks += fetched.UnfollowedContinueLinks;
    }
}
