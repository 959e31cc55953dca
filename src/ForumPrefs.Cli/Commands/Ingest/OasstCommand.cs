using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest oasst</c>: OpenAssistant conversation trees with their human rankings.</summary>
internal sealed class OasstCommand : Command
{
    private readonly Argument<string[]> _files = new("FILE") { Description = "OpenAssistant exports (.jsonl or .jsonl.gz), tree or flat layout", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _observed = new("--observed") { Description = "When the export was taken (its votes' read time); default: the file's date", HelpName = "DATE" };
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public OasstCommand(CliIO io) : base("oasst", "OpenAssistant conversation trees: prompts become posts, replies comments, with each reply's human rank")
    {
        foreach (var option in new Option[] { _observed, _db, _format })
            Options.Add(option);
        Arguments.Add(_files);
        SetAction(async (parse, cancellationToken) =>
        {
            var paths = InputFiles.Existing(io, parse.GetValue(_files)!);
            var observed = OptionValues.Date(parse.GetValue(_observed), "--observed");
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var results = await IngestJobs.OasstAsync(io, store, paths, observed, cancellationToken);
            ResultWriter.Write(io.Out, IngestOutput.Files(results, ["lines", "trees", "messages", "ranked"], s => [s.Lines, s.Trees, s.Messages, s.Ranked]),
                parse.GetValue(_format));
            return results.Any(r => r.State.Skipped.Count > 0) ? ExitCodes.DoneWithSkips : ExitCodes.Done;
        });
    }
}
