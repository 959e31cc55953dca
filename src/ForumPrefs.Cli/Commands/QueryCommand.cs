using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs query</c>: run SQL against the store on a read-only connection.</summary>
internal sealed class QueryCommand : Command
{
    private readonly Argument<string> _sql = new("SQL|FILE|NAME")
    {
        Description = "Inline SQL, a .sql file, or the name of a file in queries/ (e.g. top_posts_by_comments)",
    };
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public QueryCommand(CliIO io) : base("query", "Run read-only SQL on the store; writes, ATTACH and extensions are refused")
    {
        Arguments.Add(_sql);
        Options.Add(_db);
        Options.Add(_format);
        SetAction(parse =>
        {
            var sql = QueryResolver.Resolve(io, parse.GetValue(_sql)!);
            var result = ReadOnlyQuery.Run(io.Resolve(parse.GetValue(_db)!), sql);
            ResultWriter.Write(io.Out, result, parse.GetValue(_format));
            return ExitCodes.Done;
        });
    }
}
