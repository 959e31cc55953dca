using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest</c>: bring files (dumps, saved pages) into the store.</summary>
internal sealed class IngestCommand : Command
{
    public IngestCommand(CliIO io) : base("ingest", "Ingest dump files into the store (resumable; skipped records are counted)")
    {
        Subcommands.Add(new RedditDumpCommand(io));
        Subcommands.Add(new StackExchangeCommand(io));
        Subcommands.Add(new StackExchangeVotesCommand(io));
        Subcommands.Add(new HtmlPagesCommand(io));
        Subcommands.Add(new OasstCommand(io));
    }
}
