using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.StackExchange;

/// <summary><c>ingest stackexchange</c>: a Stack Exchange site's Posts.xml; questions become posts, answers top-level comments.</summary>
public sealed class StackExchangeSource : IngestSource<StackExchangeSource.Settings>
{
    /// <summary>Other post types (wiki, tag excerpts) are in every dump: counted, not a reason for exit code 3.</summary>
    private const string OtherPostType = "other_post_type";

    public sealed record Settings(string Site, DateTimeOffset? Observed);

    public override string Name => "stackexchange";
    public override string Description => "Stack Exchange data dump Posts.xml: questions become posts, answers top-level comments";
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string> { [SourceNames.StackExchange] = "stackexchange" };
    public override string Inputs => "Posts.xml or Posts.xml.gz of one site's dump";
    public override IReadOnlyList<string> Formats => ["Posts.xml", "Posts.xml.gz"];
    public override string? RunOption => "stackexchange";
    public override IReadOnlyList<SourceOption> Options =>
    [
        new("site", "The site, e.g. stats.stackexchange.com or datascience", Required: true, HelpName: "NAME"),
        new("observed", "When the dump was taken (scores' read time); default: the file's date", SourceOptionKind.Date, HelpName: "DATE"),
    ];

    public override Settings Read(SourceArguments arguments) => new(arguments.Required("site"), arguments.Date("observed"));

    public override string DatasetName(IReadOnlyList<string> inputs, Settings settings) => settings.Site;

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var results = StackExchangePostsIngest.Run(store, inputs, settings.Site, settings.Observed, context.Reporter, cancellationToken);
        return Task.FromResult(SourceRun.Of(results, ["rows", "questions", "answers"], s => [s.Rows, s.Questions, s.Answers], expected: [OtherPostType]));
    }
}
