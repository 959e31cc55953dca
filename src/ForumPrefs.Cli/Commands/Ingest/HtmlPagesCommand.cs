using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Sources.Html;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Ingest;

/// <summary><c>forumprefs ingest html</c>: saved forum pages, read with a profile.</summary>
internal sealed class HtmlPagesCommand : Command
{
    private readonly Argument<string[]> _files = new("FILE") { Description = "Saved pages (.html)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _profile = new("--profile") { Description = $"Built-in ({string.Join(", ", HtmlProfile.BuiltIn)}) or a profile file", Required = true, HelpName = "NAME|FILE" };
    private readonly Option<string> _db = CommonOptions.Db();

    public HtmlPagesCommand(CliIO io) : base("html", "Saved forum pages, read with a profile (XPath selectors)")
    {
        Options.Add(_profile);
        Options.Add(_db);
        Arguments.Add(_files);
        SetAction(parse =>
        {
            var paths = InputFiles.Existing(io, parse.GetValue(_files)!);
            var profile = InputFiles.Profile(io, parse.GetValue(_profile)!);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var result = IngestJobs.HtmlPages(io, store, profile, paths);
            IngestOutput.Print(io, result);
            return IngestJobs.ExitCode(result);
        });
    }
}
