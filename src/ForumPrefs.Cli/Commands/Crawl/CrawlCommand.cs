using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Crawl;

/// <summary><c>forumprefs crawl</c>: fetch threads from live sources.</summary>
internal sealed class CrawlCommand : Command
{
    public CrawlCommand(CliIO io, TimeProvider time) : base("crawl", "Crawl live sources into the store (resumable)")
    {
        Subcommands.Add(new RedditCrawlCommand(io, time));
        Subcommands.Add(new HtmlCrawlCommand(io, time));
        Subcommands.Add(new DiscourseCrawlCommand(io, time));
    }
}
