using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources.Mapped;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Mapped;

/// <summary>
/// <c>ingest mapped</c> (or <c>ingest json</c>): threads from any JSON, JSON Lines or CSV export, read through a
/// mapping, into the same rows a native source writes. Units (threads, or records) commit in batches with a
/// checkpoint of the units done, so a killed ingest resumes at its last commit; replies known only by their parent
/// get their depth once every file is in.
/// </summary>
public sealed class MappedSource : IngestSource<MappedSource.Settings>
{
    public sealed record Settings(ExportMapping Mapping, DateTimeOffset? Observed);

    public override string Name => "mapped";
    public override IReadOnlyList<string> Aliases => ["json"];
    public override string Description => "Threads from any JSON, JSON Lines or CSV export, read through a mapping (YAML or JSON)";
    // What it stores is filed under the mapping's own source name, whose policy is the one the source owning that name declares.
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
        // The same file read through another mapping is another ingest.
        var results = CheckpointedFiles.Run<UnitState>(store, "mapped-export", inputs, ":" + settings.Mapping.Name, 5_000, context.Reporter,
            (batch, file) => Ingest(batch, settings.Mapping, file, CheckpointedFiles.Observed(file, settings.Observed), context.Reporter, cancellationToken));
        store.ResolveDepths();
        return Task.FromResult(SourceRun.Of(results, ["units", "posts", "comments"], s => [s.Units, s.Posts, s.Comments]));
    }

    private static void Ingest(CheckpointedBatch<UnitState> batch, ExportMapping mapping, string file, DateTimeOffset fileObserved,
        IngestReporter reporter, CancellationToken cancellationToken)
    {
        var state = batch.State;
        var reader = new MappedReader(mapping);
        var forums = new Dictionary<string, Forum>(StringComparer.Ordinal);
        UnitFiles.Ingest(batch, file, reader, reader.Read(file, state.Units), state.Units, () => reader.Units, (s, units) => s.Units = units, item =>
        {
            if (!forums.TryGetValue(item.Forum, out var forum))
                forums[item.Forum] = forum = new Forum(mapping.Source, item.Forum);
            if (item.Post is { } post)
            {
                batch.Add(forum, post, item.Observed ?? fileObserved);
                state.Posts++;
            }
            else if (item.Comment is { } comment)
            {
                batch.Add(forum, comment, item.Observed ?? fileObserved);
                state.Comments++;
            }
        }, reporter, cancellationToken);
    }

    /// <summary>A file's checkpoint: the units done, and the posts and comments they held.</summary>
    public sealed class UnitState : IngestState
    {
        public long Units { get; set; }
        public long Posts { get; set; }
        public long Comments { get; set; }
    }
}
