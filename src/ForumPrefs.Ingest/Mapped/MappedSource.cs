using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources.Mapped;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Mapped;

/// <summary><c>ingest mapped</c> (or <c>ingest json</c>): threads from any JSON, JSON Lines or CSV export, read through a mapping.</summary>
public sealed class MappedSource : IngestSource<MappedSource.Settings>
{
    public sealed record Settings(ExportMapping Mapping, DateTimeOffset? Observed);

    public override string Name => "mapped";
    public override IReadOnlyList<string> Aliases => ["json"];
    public override string Description => "Threads from any JSON, JSON Lines or CSV export, read through a mapping (YAML or JSON)";
    // What it stores is filed under the mapping's own source name, whose policy is the source's that owns the name.
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string>();
    public override string Inputs => "Export files: .json, .jsonl or .csv, plain or compressed (.gz, .zst, .bz2, .xz)";
    public override IReadOnlyList<string> Formats => [".json", ".jsonl", ".ndjson", ".csv"];
    public override string? RunOption => "mapped";
    public override IReadOnlyList<SourceOption> Options =>
    [
        new("mapping", $"A mapping file (.yaml or .json), or a built-in one: {string.Join(", ", ExportMapping.BuiltIn)}", Required: true, HelpName: "NAME|FILE"),
        new("observed", "When the scores were read, where the mapping names no such field; default: the file's date", SourceOptionKind.Date, HelpName: "DATE"),
    ];

    public override Settings Read(SourceArguments arguments) =>
        new(ExportMapping.Load(arguments.FileOrName("mapping") ?? arguments.Required("mapping")), arguments.Date("observed"));

    public override string DatasetName(IReadOnlyList<string> inputs, Settings settings) => settings.Mapping.Forum ?? settings.Mapping.Name;

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var results = MappedIngest.Run(store, settings.Mapping, inputs, settings.Observed, context.Reporter, cancellationToken);
        return Task.FromResult(SourceRun.Of(results, ["units", "posts", "comments"], s => [s.Units, s.Posts, s.Comments]));
    }
}
