using ForumPrefs.Core;
using ForumPrefs.Sources.RedditApi;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.RedditApi;

/// <summary>
/// Crawls listings and comment trees into the store. A listing page's checkpoint (its <c>after</c> cursor) is saved
/// once its posts are stored; each finished post is saved with its own checkpoint in the same transaction, so a
/// killed crawl restarts at the last page and skips the posts it already has. A post that cannot be fetched (gone,
/// forbidden, server errors after the retries, too deep, too big) is a counted skip: the listing keeps its id, and the
/// next run tries it again unless <paramref name="skipFailed"/>. A refresh is a checkpointed pass, so it resumes too.
/// Progress is reported in posts.
/// </summary>
public sealed class RedditCrawl(ForumStore store, RedditClient client, CommentTreeFetcher fetcher, TimeProvider time, bool refresh,
    bool skipFailed = false)
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
        /// <summary>Posts read from the listing that could not be fetched whole: id → reason. Tried again next run.</summary>
        public Dictionary<string, string> Failed { get; set; } = [];
        /// <summary>The --refresh pass this listing is in (see <see cref="RefreshPass"/>); null for a first crawl.</summary>
        public string? RefreshPass { get; set; }
    }

    public sealed class PostState : IngestState
    {
        public long Comments { get; set; }
        public long Requests { get; set; }
        public long UnexpandedComments { get; set; }
        public long UnfollowedContinueLinks { get; set; }
    }

    public Summary Result { get; } = new();

    /// <summary>Posts that could not be fetched in this run, by reason.</summary>
    public CrawlFailures? Failures { get; private set; }

    /// <summary>Failed posts an earlier run left that this run did not try (--skip-failed).</summary>
    public long LeftFailed { get; private set; }

    private string? _pass;

    /// <summary>Live figures for a progress bar.</summary>
    public string Detail() =>
        $"{Result.Comments:N0} comments, {client.Requests:N0} requests, quota left {client.Limiter.Remaining?.ToString() ?? "?"}";

    public async Task ListingAsync(string subreddit, string sort, string period, int limit, bool postsOnly, IngestReporter reporter,
        CancellationToken cancellationToken)
    {
        var key = $"listing:{subreddit.ToLowerInvariant()}:{sort}:{period}:{limit}{(postsOnly ? ":posts-only" : "")}";
        var batch = new CheckpointedBatch<ListingState>(store, Source, key, batchItems: 100);
        var failures = Failures ??= new CrawlFailures(reporter);
        if (refresh && (batch.State.Done || batch.State.RefreshPass is null))
        {
            // A new pass over the listing from its first page; one a kill or failure left unfinished resumes instead.
            batch.State = new ListingState { RefreshPass = Ingest.RefreshPass.NewId(), Failed = batch.State.Failed };
        }
        var state = batch.State;
        _pass = state.RefreshPass;
        LeftFailed += await failures.RetryAsync(state.Failed, "post", skipFailed, id => PostAsync(id, cancellationToken), batch.Commit);
        if (state.Done)
        {
            if (Result.Posts == 0 && state.Failed.Count == 0)
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
                else if (await failures.TryAsync($"post {post.Id}", () => PostAsync(post.Id, cancellationToken)) is { } reason)
                    state.Failed[post.Id] = reason;
                state.Fetched++;
                reporter.Progress.Report(new(state.Fetched, limit));
            }
            state.After = page.After;
            state.Done = page.After is null || state.Fetched >= limit || page.Posts.Count == 0;
            batch.Commit();
        }
    }

    /// <summary>Posts by id; those that cannot be fetched are counted and tried again by the next run.</summary>
    public async Task PostsAsync(IReadOnlyList<string> ids, IngestReporter reporter, CancellationToken cancellationToken)
    {
        var failures = Failures ??= new CrawlFailures(reporter);
        // A refresh of these posts is a pass of its own: a rerun after a kill goes on where it stopped.
        var pass = refresh ? RefreshPass.Begin(store, Source, "posts", ids) : null;
        _pass = pass?.Id;
        if (pass is { Resumed: true })
            reporter.Notice("resuming the refresh an earlier run left unfinished");
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            await failures.TryAsync($"post {id}", () => PostAsync(id, cancellationToken));
            reporter.Progress.Report(new(i + 1, ids.Count));
        }
        pass?.Finish();
    }

    /// <summary>Fetches one post's whole tree and stores it with its checkpoint, unless it is already stored.</summary>
    private async Task PostAsync(string id, CancellationToken cancellationToken)
    {
        FetchedThread? fetched = null;
        var stored = await CheckpointedUnit.StoreOnceAsync(store, Source, $"post:{id}", _pass, async () =>
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
