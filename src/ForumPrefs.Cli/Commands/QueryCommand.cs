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
    private readonly Option<double> _timeout = CommonOptions.Seconds("--timeout", "Stop the query after this many seconds (0 = no limit)", 60);
    private readonly Option<int> _maxRows = new("--max-rows")
    {
        Description = "Rows the table format draws (csv and json stream every row)", HelpName = "N", DefaultValueFactory = _ => 1000,
    };

    public QueryCommand(CliIO io) : base("query", "Run read-only SQL on the store; writes, ATTACH and extensions are refused")
    {
        Arguments.Add(_sql);
        Options.Add(_db);
        Options.Add(_format);
        Options.Add(_timeout);
        Options.Add(_maxRows);
        SetAction(parse =>
        {
            if (parse.GetValue(_timeout) < 0 || parse.GetValue(_maxRows) < 1)
                throw new UsageException("--timeout must be 0 or more seconds and --max-rows at least 1");
            var sql = QueryResolver.Resolve(io, parse.GetValue(_sql)!);
            var timeout = parse.GetValue(_timeout) is var seconds and > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            using var query = ReadOnlyQuery.Open(io.Resolve(parse.GetValue(_db)!), sql, timeout);
            ResultWriter.Write(io.Out, query.Columns, query.Rows(), parse.GetValue(_format), parse.GetValue(_maxRows));
            return ExitCodes.Done;
        });
    }
}
