using ForumPrefs.Sources.Discourse;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Discourse;

/// <summary>
/// Crawls a Discourse site into the store. Each finished topic is stored with its own checkpoint in the same
/// transaction; a listing's checkpoint (the next page) is saved once its topics are stored, so a killed crawl restarts
/// at its last page and skips the topics it has. With refresh, stored topics are read again in a checkpointed pass:
/// new like counts become score sightings like any re-crawl. A topic that cannot be fetched is a counted skip kept in
/// the listing's state and tried again next run (unless <paramref name="skipFailed"/>). A listing that gives
/// <see cref="MaxRepeatedPages"/> pages in a row of topics it already named ends there. Progress is reported in topics.
/// </summary>
public sealed class DiscourseCrawl(ForumStore store, DiscourseReader reader, DiscourseClient client, bool refresh, bool skipFailed = false)
{
    public const string Source = "discourse-api";

    public sealed class Summary
    {
        public long Topics { get; set; }
        public long Posts { get; set; }
        public long AlreadyStored { get; set; }
        public long MissingPosts { get; set; }
        public Dictionary<string, long> Skipped { get; } = [];
    }

    /// <summary>Listing pages in a row that name no new topic before the listing is taken to loop.</summary>
    public const int MaxRepeatedPages = 3;

    public sealed class ListingState : IngestState
    {
        public int Page { get; set; }
        public int Fetched { get; set; }
        /// <summary>Topics the listing named that could not be fetched: id → reason. Tried again next run.</summary>
        public Dictionary<long, string> Failed { get; set; } = [];
        /// <summary>The --refresh pass this listing is in (see <see cref="RefreshPass"/>); null for a first crawl.</summary>
        public string? RefreshPass { get; set; }
    }

    public sealed class TopicState : IngestState
    {
        public long Posts { get; set; }
        public long Requests { get; set; }
        public long MissingPosts { get; set; }
    }

    public Summary Result { get; } = new();

    /// <summary>Topics that could not be fetched in this run, by reason.</summary>
    public CrawlFailures? Failures { get; private set; }

    /// <summary>Failed topics an earlier run left that this run did not try (--skip-failed).</summary>
    public long LeftFailed { get; private set; }

    private string? _pass;

    // Topics read in this run: a listing that names a topic twice (pages shift while they are read) reads it once.
    private readonly HashSet<long> _read = [];

    public string Detail() => $"{Result.Posts:N0} posts, {client.Requests:N0} requests";

    /// <param name="limit">At most this many topics; null (the default): every topic the listing has.</param>
    public async Task ListingAsync(string? category, int? limit, IngestReporter reporter, CancellationToken cancellationToken)
    {
        var key = $"listing:{client.Host.ToLowerInvariant()}:{category?.ToLowerInvariant() ?? "latest"}:{limit?.ToString() ?? "all"}";
        var most = limit ?? int.MaxValue;
        var batch = new CheckpointedBatch<ListingState>(store, Source, key, batchItems: 1);
        var failures = Failures ??= new CrawlFailures(reporter);
        if (refresh && (batch.State.Done || batch.State.RefreshPass is null))
            batch.State = new ListingState { RefreshPass = Ingest.RefreshPass.NewId(), Failed = batch.State.Failed };
        var state = batch.State;
        _pass = state.RefreshPass;
        LeftFailed += await failures.RetryAsync(state.Failed, "topic", skipFailed, id => TopicAsync(id, cancellationToken), batch.Commit);
        if (state.Done)
        {
            if (Result.Topics == 0 && state.Failed.Count == 0)
                reporter.Notice($"{client.Host} {category ?? "latest"} was crawled to the end already (use --refresh to crawl it again)");
            return;
        }
        if (state.Fetched > 0)
            reporter.Notice($"resuming {client.Host} {category ?? "latest"} at page {state.Page} after {state.Fetched:N0} topics");
        // Without a limit the total is only known at the end: the bar counts topics and their rate.
        long Total() => limit ?? state.Fetched;
        reporter.Progress.Report(new(state.Fetched, Total()));
        var listed = new HashSet<long>();
        var repeats = 0;
        while (!state.Done)
        {
            var page = await reader.ListingAsync(category, state.Page, cancellationToken);
            // A page naming only topics already named: the listing shifted (new topics came in) or it loops. Shifts pass;
            // a loop shows as pages of nothing new in a row, and ends the listing.
            var repeated = page.TopicIds.Count > 0 && page.TopicIds.Count(listed.Add) == 0;
            repeats = repeated ? repeats + 1 : 0;
            var looping = repeats >= MaxRepeatedPages;
            if (looping)
                reporter.Notice($"{client.Host}'s listing gave {MaxRepeatedPages} pages in a row of topics it already named (up to page {state.Page}): stopped there");
            foreach (var id in repeated ? [] : page.TopicIds.Take(most - state.Fetched))
            {
                if (await failures.TryAsync($"topic {id}", () => TopicAsync(id, cancellationToken)) is { } reason)
                    state.Failed[id] = reason;
                state.Fetched++;
                reporter.Progress.Report(new(state.Fetched, Total()));
            }
            state.Page++;
            state.Done = looping || !page.More || state.Fetched >= most;
            if (state.Done && page.More && !looping)
                reporter.Notice($"stopped at --limit {limit:N0}: {client.Host} lists more topics");
            batch.Commit();
        }
    }

    public async Task TopicsAsync(IReadOnlyList<long> ids, IngestReporter reporter, CancellationToken cancellationToken)
    {
        var failures = Failures ??= new CrawlFailures(reporter);
        var pass = refresh ? RefreshPass.Begin(store, Source, $"topics:{client.Host.ToLowerInvariant()}", ids.Select(id => id.ToString())) : null;
        _pass = pass?.Id;
        if (pass is { Resumed: true })
            reporter.Notice("resuming the refresh an earlier run left unfinished");
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            await failures.TryAsync($"topic {id}", () => TopicAsync(id, cancellationToken));
            reporter.Progress.Report(new(i + 1, ids.Count));
        }
        pass?.Finish();
    }

    /// <summary>Fetches one topic whole and stores it with its checkpoint, unless it is stored already.</summary>
    private async Task TopicAsync(long id, CancellationToken cancellationToken)
    {
        FetchedTopic? fetched = null;
        var stored = _read.Add(id) && await CheckpointedUnit.StoreOnceAsync(store, Source, $"topic:{client.Host.ToLowerInvariant()}:{id}", _pass, async () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            fetched = await reader.TopicAsync(id, cancellationToken);
            return (fetched.Topic.Thread, new TopicState
            {
                Posts = fetched.Topic.Posts, Requests = fetched.Requests, MissingPosts = fetched.MissingPosts,
                Skipped = new Dictionary<string, long>(fetched.Topic.Skipped),
            });
        });
        if (!stored)
        {
            Result.AlreadyStored++;
            return;
        }
        // Replies to replies carry no depth from the API: settled from their parents now the topic is in.
        store.ResolveDepths();
        Result.Topics++;
        Result.Posts += fetched!.Topic.Posts;
        Result.MissingPosts += fetched.MissingPosts;
        foreach (var (kind, count) in fetched.Topic.Skipped)
            Result.Skipped[kind] = Result.Skipped.GetValueOrDefault(kind) + count;
    }
}
