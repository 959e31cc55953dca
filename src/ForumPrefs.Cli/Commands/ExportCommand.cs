using ForumPrefs.Datasets;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Export;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs export</c>: write the stored pairs as datasets training jobs load untouched, with a card.</summary>
internal sealed class ExportCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<string> _format = new("--format")
    {
        Description = "shp (SHP's Parquet columns), trl (prompt/chosen/rejected Parquet) or jsonl (SHP's JSON Lines)",
        HelpName = "shp|trl|jsonl",
        DefaultValueFactory = _ => "shp",
    };
    private readonly Option<string> _out = new("--out") { Description = "Output folder", HelpName = "FOLDER", Required = true };
    private readonly Option<string> _policy = new("--policy") { Description = "Which pairs: auto, shp or stackexchange", DefaultValueFactory = _ => "auto" };
    private readonly Option<string?> _forum = new("--forum") { Description = "Only this forum", HelpName = "NAME" };
    private readonly Option<bool> _includeAuthors = new("--include-authors") { Description = "Also export usernames (left out by default)" };
    private readonly Option<bool> _force = new("--force") { Description = "Replace a non-empty --out that is not an earlier export of this store" };

    public ExportCommand(CliIO io) : base("export", "Export pairs to Parquet or JSONL, one folder per forum with train/validation/test and a dataset card")
    {
        foreach (var option in new Option[] { _db, _format, _out, _policy, _forum, _includeAuthors, _force })
            Options.Add(option);
        SetAction(async (parse, cancellationToken) =>
        {
            var format = parse.GetValue(_format)!.ToLowerInvariant() switch
            {
                "shp" => ExportFormat.Shp,
                "trl" => ExportFormat.Trl,
                "jsonl" => ExportFormat.Jsonl,
                var other => throw new UsageException($"--format must be shp, trl or jsonl, not '{other}'"),
            };
            var dbPath = io.Resolve(parse.GetValue(_db)!);
            using var store = ForumStore.Open(dbPath, create: false);
            var result = await ExportJob.RunAsync(io, store, parse.GetValue(_out)!, new ExportOptions(format, parse.GetValue(_includeAuthors)),
                parse.GetValue(_policy)!, parse.GetValue(_forum), parse.GetValue(_force), cancellationToken);
            Report(io, result);
            return ExitCodes.Done;
        });
    }

    internal static void Report(CliIO io, ExportJob.Result result)
    {
        foreach (var forum in result.Forums)
        {
            io.Out.WriteLine($"{forum.Folder}: {forum.TotalRows:N0} pairs ({forum.Rows[ForumPrefs.Core.Split.Train]:N0} train, " +
                $"{forum.Rows[ForumPrefs.Core.Split.Validation]:N0} validation, {forum.Rows[ForumPrefs.Core.Split.Test]:N0} test) " +
                $"in {Path.Combine(result.Folder, forum.Folder)}");
            if (forum.SkippedDeleted > 0)
                io.Error.WriteLine($"{forum.Folder}: {forum.SkippedDeleted:N0} pairs left out because their text was deleted since they were built");
        }
        io.Out.WriteLine($"dataset card: {result.Card}");
    }
}
