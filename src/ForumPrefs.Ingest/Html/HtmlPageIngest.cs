using ForumPrefs.Sources.Html;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Html;

/// <summary>
/// Parses pages (saved or fetched) with a profile and stores each page's thread with its own checkpoint, keyed by
/// where the page came from; a page of another layout is counted as failed, never stored half.
/// </summary>
public sealed class HtmlPageIngest(ForumStore store, HtmlProfile profile, IngestReporter reporter)
{
    public const string Source = "html";

    public sealed class PageState : IngestState
    {
        public string Profile { get; set; } = "";
        public long Comments { get; set; }
        public long MoreStubs { get; set; }
        public long HiddenScores { get; set; }
    }

    public sealed record Totals(string Profile, long Threads, long Comments, long MoreStubs, long HiddenScores, long FailedPages,
        IReadOnlyDictionary<string, long> Skipped);

    private long _threads, _comments, _moreStubs, _hiddenScores, _failedPages;
    private readonly Dictionary<string, long> _skipped = [];

    public Totals Result => new(profile.Name, _threads, _comments, _moreStubs, _hiddenScores, _failedPages, _skipped);

    public bool IsStored(string origin) => store.GetCheckpoint(Source, origin) is not null;

    /// <summary>Whether an earlier run could not fetch this page (and it has not been stored since).</summary>
    public bool FailedBefore(string origin) => store.GetCheckpoint(Source, FailedKey(origin)) is not null;

    /// <summary>Remembers a page that could not be fetched, so that --skip-failed can leave it next time.</summary>
    public void Failed(string origin, string reason)
    {
        var batch = new CheckpointedBatch<IngestState>(store, Source, FailedKey(origin), batchItems: 1);
        batch.State.Skip("not_fetched", reason);
        batch.Commit();
    }

    private static string FailedKey(string origin) => "failed:" + origin;

    /// <summary>Stores one page's thread with its checkpoint; a page the profile cannot read is reported and counted.</summary>
    public void Add(string html, string origin, DateTimeOffset observed)
    {
        ParsedPage page;
        try
        {
            page = HtmlThreadParser.Parse(html, profile, observed, origin);
        }
        catch (HtmlProfileException ex)
        {
            reporter.Notice($"error: {ex.Message}");
            _failedPages++;
            return;
        }
        var batch = new CheckpointedBatch<PageState>(store, Source, origin, batchItems: 1, fresh: true);
        batch.State = new PageState
        {
            Profile = profile.Name, Comments = page.Thread.Comments.Count, MoreStubs = page.MoreStubs, HiddenScores = page.HiddenScores,
            Skipped = new Dictionary<string, long>(page.Skipped),
        };
        batch.Add(page.Thread);
        batch.Complete();
        foreach (var (kind, count) in page.Skipped)
            _skipped[kind] = _skipped.GetValueOrDefault(kind) + count;
        _threads++;
        _comments += page.Thread.Comments.Count;
        _moreStubs += page.MoreStubs;
        _hiddenScores += page.HiddenScores;
    }
}
