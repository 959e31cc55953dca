using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary>
/// <c>forumprefs ingest NAME FILE...</c> for any source on the seam: its files, its declared options, one table a
/// file, and the exit code of what was skipped (3) or could not be read (1).
/// </summary>
internal sealed class SourceIngestCommand : Command
{
    private readonly Argument<string[]> _files;
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public SourceIngestCommand(CliIO io, IIngestSource source, TimeProvider time) : base(source.Name, source.Description)
    {
        foreach (var alias in source.Aliases)
            Aliases.Add(alias);
        _files = new Argument<string[]>("FILE") { Description = source.Inputs, Arity = ArgumentArity.OneOrMore };
        var options = new SourceOptions(this, source.Options, requiredAsDeclared: true);
        Options.Add(_db);
        Options.Add(_format);
        Arguments.Add(_files);
        SetAction(async (parse, cancellationToken) =>
        {
            var paths = InputFiles.Existing(io, parse.GetValue(_files)!);
            var settings = source.Settings(options.Read(parse, io));
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var run = await IngestJobs.RunAsync(io, store, source, paths, settings, time, cancellationToken);
            return IngestJobs.Print(io, run, parse.GetValue(_format));
        });
    }
}
