using ForumPrefs.Cli.Output;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest stackexchange-votes</c>: a site's Votes.xml as vote timelines of its stored posts.</summary>
internal sealed class StackExchangeVotesCommand : Command
{
    private readonly Argument<string[]> _files = new("FILE") { Description = "Votes.xml or Votes.xml.gz of the site whose Posts.xml is stored", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _site = new("--site") { Description = "The site, as given to 'ingest stackexchange'", Required = true, HelpName = "NAME" };
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public StackExchangeVotesCommand(CliIO io) : base("stackexchange-votes", "Stack Exchange Votes.xml: each stored post's score by day (vote timelines; ingest Posts.xml first)")
    {
        foreach (var option in new Option[] { _site, _db, _format })
            Options.Add(option);
        Arguments.Add(_files);
        SetAction(async (parse, cancellationToken) =>
        {
            var paths = InputFiles.Existing(io, parse.GetValue(_files)!);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!), create: false);
            var results = await IngestJobs.StackExchangeVotesAsync(io, store, paths, parse.GetValue(_site)!, cancellationToken);
            ResultWriter.Write(io.Out, IngestOutput.Files(results, ["votes", "up", "down", "other_types", "sightings"],
                s => [s.Votes, s.UpVotes, s.DownVotes, s.OtherTypes, s.Sightings]), parse.GetValue(_format));
            return results.Any(r => r.State.Skipped.Count > 0) ? ExitCodes.DoneWithSkips : ExitCodes.Done;
        });
    }
}
