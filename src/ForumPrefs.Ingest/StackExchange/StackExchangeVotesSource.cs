using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.StackExchange;

/// <summary><c>ingest stackexchange-votes</c>: a site's Votes.xml as vote timelines of its stored posts.</summary>
public sealed class StackExchangeVotesSource : IngestSource<StackExchangeVotesSource.Settings>
{
    public sealed record Settings(string Site);

    public override string Name => "stackexchange-votes";
    public override string Description => "Stack Exchange Votes.xml: each stored post's score by day (vote timelines; ingest Posts.xml first)";
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string>();
    public override string Inputs => "Votes.xml or Votes.xml.gz of the site whose Posts.xml is stored";
    public override IReadOnlyList<string> Formats => ["Votes.xml", "Votes.xml.gz"];
    public override string? RunOption => "votes";
    public override int RunOrder => 1; // after the posts its votes belong to
    public override IReadOnlyList<SourceOption> Options => [new("site", "The site, as given to 'ingest stackexchange'", Required: true, HelpName: "NAME")];

    public override Settings Read(SourceArguments arguments) => new(arguments.Required("site"));

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var results = StackExchangeVotesIngest.Run(store, inputs, settings.Site, context.Reporter, cancellationToken);
        return Task.FromResult(SourceRun.Of(results, ["votes", "up", "down", "other_types", "sightings"],
            s => [s.Votes, s.UpVotes, s.DownVotes, s.OtherTypes, s.Sightings]));
    }
}
