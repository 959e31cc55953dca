using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Crawl;

/// <summary>A crawl's own verb (a live source's one verb class): <c>crawl</c> finds every one, none is listed.</summary>
internal interface ICrawlVerb;

/// <summary><c>forumprefs crawl</c>: fetch threads from live sources, a verb for each crawl this program holds.</summary>
internal sealed class CrawlCommand : Command
{
    public CrawlCommand(CliIO io, TimeProvider time) : base("crawl", "Crawl live sources into the store (resumable)")
    {
        var verbs = typeof(CrawlCommand).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false } && typeof(ICrawlVerb).IsAssignableFrom(t) && typeof(Command).IsAssignableFrom(t))
            .Select(t => (Command)Activator.CreateInstance(t, io, time)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var verb in verbs)
            Subcommands.Add(verb);
    }
}
