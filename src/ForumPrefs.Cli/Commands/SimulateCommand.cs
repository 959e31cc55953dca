using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Settings;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs simulate</c>: fill the store from the deterministic forum simulator.</summary>
internal sealed class SimulateCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<int> _posts = new("--posts") { Description = "Number of threads to simulate", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string> _forums = new("--forums")
    {
        Description = "Comma-separated forum names; threads are dealt to them in turn",
        DefaultValueFactory = _ => "explainlikeimfive",
    };
    private readonly Option<double> _recrawl = new("--recrawl-after-days")
    {
        Description = "Re-read the same threads this many days later (records score changes as snapshots)",
        DefaultValueFactory = _ => 0,
    };
    private readonly Option<double> _timeline = new("--timeline-hours")
    {
        Description = "Also record each answer's score every N hours (vote timelines, for --policy common-window); 0 = off",
        HelpName = "HOURS",
        DefaultValueFactory = _ => 0,
    };
    private readonly Option<int> _batch = new("--batch") { Description = "Threads per transaction (and per checkpoint)", DefaultValueFactory = _ => 200 };

    public SimulateCommand(CliIO io) : base("simulate", "Simulate a forum with known answer quality into the store (resumable)")
    {
        Options.Add(_db);
        Options.Add(_posts);
        Options.Add(_seed);
        Options.Add(_forums);
        Options.Add(_batch);
        Options.Add(_recrawl);
        Options.Add(_timeline);
        SetAction(async (parse, cancellationToken) =>
        {
            var settings = SimulateSettings.From(parse.GetValue(_db)!, parse.GetValue(_posts), parse.GetValue(_seed),
                parse.GetValue(_forums)!, parse.GetValue(_batch), parse.GetValue(_recrawl), parse.GetValue(_timeline));
            using var store = ForumStore.Open(io.Resolve(settings.Db));
            var result = await IngestJobs.SimulateAsync(io, store, settings.Simulator, settings.Posts, settings.Batch,
                settings.RecrawlAfterDays * 24, settings.TimelineHours, cancellationToken);
            var what = settings.RecrawlAfterDays > 0 ? $"re-crawled ({settings.RecrawlAfterDays} days later)" : "simulated";
            io.Out.WriteLine($"{what} posts {result.From:N0}..{result.To:N0} ({result.Comments:N0} comments) into {settings.Db}");
            return ExitCodes.Done;
        });
    }
}
