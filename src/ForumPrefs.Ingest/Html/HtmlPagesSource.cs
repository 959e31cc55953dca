using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources.Html;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Html;

/// <summary><c>ingest html</c>: saved forum pages, read with a profile (XPath selectors).</summary>
public sealed class HtmlPagesSource : IngestSource<HtmlPagesSource.Settings>
{
    public sealed record Settings(HtmlProfile Profile);

    public override string Name => "html";
    public override string Description => "Saved forum pages, read with a profile (XPath selectors)";
    // The profile names the source its threads are stored under; that source's policy applies.
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string>();
    public override string Inputs => "Saved pages (.html)";
    public override IReadOnlyList<string> Formats => [".html", ".htm"];
    public override string? RunOption => "html";
    public override IReadOnlyList<SourceOption> Options =>
        [new("profile", $"Built-in ({string.Join(", ", HtmlProfile.BuiltIn)}) or a profile file", Required: true, HelpName: "NAME|FILE")];

    public override Settings Read(SourceArguments arguments)
    {
        arguments.Required("profile");
        return new(HtmlProfile.Load(arguments.FileOrName("profile")!));
    }

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var job = new HtmlPageIngest(store, settings.Profile, context.Reporter);
        for (var i = 0; i < inputs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            job.Add(File.ReadAllText(inputs[i]), inputs[i], new DateTimeOffset(File.GetLastWriteTimeUtc(inputs[i]), TimeSpan.Zero));
            context.Reporter.Progress.Report(new(i + 1, inputs.Count));
        }
        var t = job.Result;
        var lines = new List<string>
        {
            $"stored {t.Threads:N0} threads with {t.Comments:N0} comments (profile {t.Profile}); {t.MoreStubs:N0} 'load more' stubs counted, not fetched",
        };
        if (t.HiddenScores > 0)
            lines.Add($"{t.HiddenScores:N0} comments stored with a hidden score (unknown until a later read shows it; pairing skips them)");
        lines.AddRange(t.Skipped.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"skipped {k.Value:N0} × {k.Key}"));
        return Task.FromResult(new SourceRun(new QueryResult([], []), [], t.Skipped.Values.Sum(), t.FailedPages > 0) { Lines = lines });
    }
}
