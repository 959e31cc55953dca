using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.OpenAssistant;

/// <summary><c>ingest oasst</c>: OpenAssistant conversation trees with their human rankings.</summary>
public sealed class OasstSource : IngestSource<OasstSource.Settings>
{
    public sealed record Settings(DateTimeOffset? Observed);

    public override string Name => "oasst";
    public override string Description => "OpenAssistant conversation trees: prompts become posts, replies comments, with each reply's human rank";
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string> { [SourceNames.OpenAssistant] = "ranking" };
    public override string Inputs => "OpenAssistant exports (.jsonl or .jsonl.gz), tree or flat layout";
    public override IReadOnlyList<string> Formats => [".jsonl", ".jsonl.gz"];
    public override string? RunOption => "oasst";
    public override IReadOnlyList<SourceOption> Options =>
        [new("observed", "When the export was taken (its votes' read time); default: the file's date", SourceOptionKind.Date, HelpName: "DATE")];

    public override Settings Read(SourceArguments arguments) => new(arguments.Date("observed"));

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var results = OasstIngest.Run(store, inputs, settings.Observed, context.Reporter, cancellationToken);
        return Task.FromResult(SourceRun.Of(results, ["lines", "trees", "messages", "ranked"], s => [s.Lines, s.Trees, s.Messages, s.Ranked]));
    }
}
