using ForumPrefs.Core;
using ForumPrefs.Sources.Html;
using ForumPrefs.Store;
using System.Text.Json;

namespace ForumPrefs.Cli.Jobs;

/// <summary>Parses pages (saved or fetched) with a profile and stores their threads, counting what could not be read.</summary>
internal sealed class HtmlIngestJob(CliIO io, ForumStore store, HtmlProfile profile)
{
    public const string Source = "html";

    public long Threads { get; private set; }
    public long Comments { get; private set; }
    public long MoreStubs { get; private set; }
    public long HiddenScores { get; private set; }
    public long FailedPages { get; private set; }
    public Dictionary<string, long> Skipped { get; } = [];

    /// <summary>Stores one page's thread with its checkpoint; a page of another layout is reported and counted.</summary>
    public void Add(string html, string origin, DateTimeOffset observed)
    {
        ParsedPage page;
        try
        {
            page = HtmlThreadParser.Parse(html, profile, observed, origin);
        }
        catch (HtmlProfileException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            FailedPages++;
            return;
        }
        foreach (var (kind, count) in page.Skipped)
            Skipped[kind] = Skipped.GetValueOrDefault(kind) + count;
        var state = JsonSerializer.Serialize(new { profile = profile.Name, comments = page.Thread.Comments.Count, more_stubs = page.MoreStubs, hidden_scores = page.HiddenScores, skipped = page.Skipped });
        store.WriteThreads([page.Thread], new Checkpoint(Source, origin, state, DateTimeOffset.UtcNow));
        Threads++;
        Comments += page.Thread.Comments.Count;
        MoreStubs += page.MoreStubs;
        HiddenScores += page.HiddenScores;
    }

    public bool IsStored(string origin) => store.GetCheckpoint(Source, origin) is not null;

    public void Report()
    {
        io.Out.WriteLine($"stored {Threads:N0} threads with {Comments:N0} comments (profile {profile.Name}); " +
            $"{MoreStubs:N0} 'load more' stubs counted, not fetched");
        if (HiddenScores > 0)
            io.Out.WriteLine($"{HiddenScores:N0} comments stored with a hidden score (unknown until a later read shows it; pairing skips them)");
        foreach (var (kind, count) in Skipped.OrderBy(k => k.Key))
            io.Out.WriteLine($"skipped {count:N0} × {kind}");
    }

    public int ExitCode => FailedPages > 0 ? ExitCodes.Failed : Skipped.Count > 0 ? ExitCodes.DoneWithSkips : ExitCodes.Done;
}
