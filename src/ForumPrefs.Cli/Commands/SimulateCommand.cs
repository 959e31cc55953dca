using ForumPrefs.Cli.Jobs;
using ForumPrefs.Sources.Simulation;
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
            if (parse.GetValue(_timeline) is var every and (< 0 or (> 0 and < 1)))
                throw new UsageException("--timeline-hours must be 0 (off) or at least 1");
            var settings = Settings.From(parse.GetValue(_db)!, parse.GetValue(_posts), parse.GetValue(_seed),
                parse.GetValue(_forums)!, parse.GetValue(_batch), parse.GetValue(_recrawl));
            using var store = ForumStore.Open(io.Resolve(settings.Db));
            var result = await SimulateJob.RunAsync(io, store, settings.Simulator, settings.Posts, settings.Batch,
                settings.RecrawlAfterDays * 24, parse.GetValue(_timeline), cancellationToken);
            var what = settings.RecrawlAfterDays > 0 ? $"re-crawled ({settings.RecrawlAfterDays} days later)" : "simulated";
            io.Out.WriteLine($"{what} posts {result.From:N0}..{result.To:N0} ({result.Comments:N0} comments) into {settings.Db}");
            return ExitCodes.Done;
        });
    }

    internal sealed record Settings(string Db, int Posts, int Batch, double RecrawlAfterDays, SimulatorSettings Simulator)
    {
        public static Settings From(string db, int posts, int seed, string forums, int batch, double recrawlAfterDays = 0)
        {
            if (recrawlAfterDays < 0 || double.IsNaN(recrawlAfterDays))
                throw new UsageException("--recrawl-after-days must be 0 or more");
            if (posts < 0)
                throw new UsageException("--posts must be 0 or more");
            if (batch < 1)
                throw new UsageException("--batch must be at least 1");
            var names = forums.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0)
                throw new UsageException("--forums needs at least one name");
            return new Settings(db, posts, batch, recrawlAfterDays, new SimulatorSettings { Seed = seed, Forums = names });
        }
    }
}
