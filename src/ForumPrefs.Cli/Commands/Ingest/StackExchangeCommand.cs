using ForumPrefs.Cli.Output;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest stackexchange</c>: a Stack Exchange site's Posts.xml.</summary>
internal sealed class StackExchangeCommand : Command
{
    /// <summary>Other post types (wiki, tag excerpts) are in every dump: counted, not a reason for exit code 3.</summary>
    private const string OtherPostType = "other_post_type";

    private readonly Argument<string[]> _files = new("FILE") { Description = "Posts.xml or Posts.xml.gz of one site's dump", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _site = new("--site") { Description = "The site, e.g. stats.stackexchange.com or datascience", Required = true, HelpName = "NAME" };
    private readonly Option<string?> _observed = new("--observed") { Description = "When the dump was taken (scores' read time); default: the file's date", HelpName = "DATE" };
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public StackExchangeCommand(CliIO io) : base("stackexchange", "Stack Exchange data dump Posts.xml: questions become posts, answers top-level comments")
    {
        foreach (var option in new Option[] { _site, _observed, _db, _format })
            Options.Add(option);
        Arguments.Add(_files);
        SetAction(async (parse, cancellationToken) =>
        {
            var paths = InputFiles.Existing(io, parse.GetValue(_files)!);
            var observed = OptionValues.Date(parse.GetValue(_observed), "--observed");
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var results = await IngestJobs.StackExchangePostsAsync(io, store, paths, parse.GetValue(_site)!, observed, cancellationToken);
            ResultWriter.Write(io.Out, IngestOutput.Files(results, ["rows", "questions", "answers"], s => [s.Rows, s.Questions, s.Answers]),
                parse.GetValue(_format));
            var bad = results.Sum(r => r.State.Skipped.Where(k => k.Key != OtherPostType).Sum(k => k.Value));
            return bad > 0 ? ExitCodes.DoneWithSkips : ExitCodes.Done;
        });
    }
}
