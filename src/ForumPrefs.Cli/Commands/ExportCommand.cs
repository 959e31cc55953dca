using ForumPrefs.Ingest.Seam;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Datasets;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Export;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs export</c>: write the stored pairs as datasets training jobs load untouched, with a card.</summary>
internal sealed class ExportCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<string> _layout = new("--layout")
    {
        Description = "shp (SHP's Parquet columns), trl (prompt/chosen/rejected Parquet) or jsonl (SHP's JSON Lines)",
        HelpName = "shp|trl|jsonl",
        DefaultValueFactory = _ => "shp",
    };
    /// <summary>The layout's old name: --format means output format on every other verb.</summary>
    private readonly Option<string?> _oldLayout = new("--format") { Hidden = true };
    private readonly Option<string> _out = new("--out") { Description = "Output folder", HelpName = "FOLDER", Required = true };
    private readonly Option<string> _policy = new("--policy") { Description = $"Which pairs: {string.Join(", ", PolicyChoice.Names)} (auto: each forum the policy of its source)", DefaultValueFactory = _ => PolicyChoice.Auto };
    private readonly Option<string?> _forum = new("--forum") { Description = "Only this forum", HelpName = "NAME" };
    private readonly Option<bool> _includeAuthors = new("--include-authors") { Description = "Also export usernames (left out by default)" };
    private readonly Option<bool> _conversational = new("--conversational") { Description = "With --layout trl: prompt, chosen and rejected as lists of {role, content} messages (TRL's conversational format; multi-turn questions keep their turns)" };
    private readonly PublishOptions _publish = new();
    private readonly Option<bool> _force = new("--force") { Description = "Replace a non-empty --out that is not an earlier export of this store" };

    public ExportCommand(CliIO io, ForumSources sources) : base("export", "Export pairs to Parquet or JSONL, one folder per forum with train/validation/test and a dataset card")
    {
        foreach (var option in new Option[] { _db, _layout, _oldLayout, _out, _policy, _forum, _includeAuthors, _conversational, _force })
            Options.Add(option);
        _publish.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var format = Layout(io, parse);
            var dbPath = io.Resolve(parse.GetValue(_db)!);
            using var store = ForumStore.Open(dbPath, create: false);
            var result = await ExportJob.RunAsync(io, store, parse.GetValue(_out)!, _publish.Apply(parse, new ExportOptions(format, parse.GetValue(_includeAuthors), Conversational: Conversational(parse, format))),
                parse.GetValue(_policy)!, parse.GetValue(_forum), sources.DefaultPolicies(), parse.GetValue(_force), cancellationToken);
            ExportOutput.Print(io, result);
            return ExitCodes.Done;
        });
    }

    private ExportFormat Layout(CliIO io, ParseResult parse)
    {
        var layout = parse.GetValue(_layout)!;
        if (parse.GetValue(_oldLayout) is { } old)
        {
            if (parse.GetResult(_layout) is { Implicit: false })
                throw new UsageException("give the layout once: --layout (--format is its old name)");
            io.Error.WriteLine("warning: 'export --format' is now '--layout' (--format is the output format on the other verbs)");
            layout = old;
        }
        return layout.ToLowerInvariant() switch
        {
            "shp" => ExportFormat.Shp,
            "trl" => ExportFormat.Trl,
            "jsonl" => ExportFormat.Jsonl,
            var other => throw new UsageException($"--layout must be shp, trl or jsonl, not '{other}'"),
        };
    }

    private bool Conversational(ParseResult parse, ExportFormat format) => parse.GetValue(_conversational) switch
    {
        true when format != ExportFormat.Trl => throw new UsageException("--conversational goes with --layout trl (TRL's conversational format)"),
        var value => value,
    };
}
