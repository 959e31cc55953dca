using ForumPrefs.Ingest.Seam;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest</c>: bring files (dumps, saved pages, exports) into the store, a verb for each source that reads files.</summary>
internal sealed class IngestCommand : Command
{
    public IngestCommand(CliIO io, ForumSources sources, TimeProvider time) : base("ingest", "Ingest dump files into the store (resumable; skipped records are counted)")
    {
        foreach (var source in sources.Ingests.Where(s => s.IngestVerb))
            Subcommands.Add(new SourceIngestCommand(io, source, time));
    }
}
