using ForumPrefs.Datasets;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Settings;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Cli.Output;
using ForumPrefs.Export;
using ForumPrefs.Store;
using ForumPrefs.Training;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary>
/// <c>forumprefs run</c>: the main job on the embedded default source (or a Stack Exchange dump, saved pages, or
/// OpenAssistant exports).
/// It runs every stage that exists — source into the store, pairs, export — and says where the outputs are.
/// Rerunning resumes.
/// </summary>
internal sealed class RunCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<int> _posts = new("--posts") { Description = "Threads to simulate (topics to crawl with --discourse)", DefaultValueFactory = _ => 2000 };
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string> _out = new("--out") { Description = "Dataset folder", HelpName = "FOLDER", DefaultValueFactory = _ => "datasets/simulated" };
    private readonly Option<string?> _stackExchange = new("--stackexchange") { Description = "Use this Stack Exchange Posts.xml instead of the simulator (with --site)", HelpName = "FILE" };
    private readonly Option<string?> _votes = new("--votes") { Description = "The site's Votes.xml, for vote timelines (--policy common-window)", HelpName = "FILE" };
    private readonly Option<string?> _site = new("--site") { Description = "The site of --stackexchange, e.g. stats.stackexchange.com", HelpName = "NAME" };
    private readonly Option<string[]> _html = new("--html") { Description = "Use these saved pages instead of the simulator (with --profile)", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> _oasst = new("--oasst") { Description = "Use these OpenAssistant exports instead of the simulator (tree or flat layout, .jsonl or .jsonl.gz)", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _discourse = new("--discourse") { Description = "Crawl this Discourse forum instead of the simulator (every listed topic, or --posts of them)", HelpName = "URL" };
    private readonly Option<bool> _ignoreRobots = new("--ignore-robots") { Description = "With --discourse: read paths the site's robots.txt does not allow, and ignore its Crawl-delay (only for a site you run)" };
    private readonly Option<string?> _profile = new("--profile") { Description = "The profile of --html (old-reddit, stackexchange or a file)", HelpName = "NAME|FILE" };
    private readonly Option<string?> _model = new("--model") { Description = "Model folder (default: models/<dataset name>)", HelpName = "FOLDER" };
    private readonly Option<bool> _skipTrain = new("--skip-train") { Description = "Stop after the export" };
    private readonly Option<bool> _force = new("--force") { Description = "Replace a non-empty dataset folder that is not an earlier export of this store" };
    private readonly Option<string> _device = new("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
    private readonly PairingOptions _pairing = new();

    /// <summary>A small model that trains on the simulator export in about a minute on two cores.</summary>
    internal static readonly TrainConfig SmallModel = new() { Layers = 2, Width = 64, Heads = 4, MaxLength = 160, BatchSize = 32, LearningRate = 1e-3, Epochs = 1 };

    public RunCommand(CliIO io, TimeProvider time) : base("run", "Run the whole pipeline: simulate (or ingest a dump, pages or OpenAssistant exports), pairs, export, train")
    {
        Options.Add(_db);
        Options.Add(_posts);
        Options.Add(_seed);
        Options.Add(_out);
        Options.Add(_stackExchange);
        Options.Add(_site);
        Options.Add(_votes);
        Options.Add(_html);
        Options.Add(_profile);
        Options.Add(_oasst);
        Options.Add(_discourse);
        Options.Add(_ignoreRobots);
        Options.Add(_model);
        Options.Add(_skipTrain);
        Options.Add(_force);
        Options.Add(_device);
        _pairing.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var settings = SimulateSettings.From(parse.GetValue(_db)!, parse.GetValue(_posts),
                parse.GetValue(_seed), "explainlikeimfive,askscience", 200);
            var pairing = _pairing.Read(parse);
            var dbPath = io.Resolve(settings.Db);
            using var store = ForumStore.Open(dbPath);

            await SourceAsync(io, parse, store, settings, pairing.Policy == PolicyChoice.CommonWindow, time, cancellationToken);
            io.Error.WriteLine("[2/4] pairs");
            var pairs = await PairsJob.RunAsync(io, store, pairing, cancellationToken);
            io.Error.WriteLine("[3/4] export");
            // Without --out, the dataset is named after its source.
            var outFolder = parse.GetResult(_out) is { Implicit: false } ? parse.GetValue(_out)!
                : parse.GetValue(_stackExchange) is not null ? $"datasets/{ForumPrefs.Export.FolderNames.Safe(parse.GetValue(_site)!)}"
                : (parse.GetValue(_html) ?? []).Length > 0 ? "datasets/html"
                : (parse.GetValue(_oasst) ?? []).Length > 0 ? "datasets/oasst"
                : parse.GetValue(_discourse) is { } forum ? $"datasets/{ForumPrefs.Export.FolderNames.Safe(new Uri(forum).Host)}" : parse.GetValue(_out)!;
            var export = await ExportJob.RunAsync(io, store, outFolder, new ExportOptions(ExportFormat.Shp),
                pairing.Policy, pairing.Forum, parse.GetValue(_force), cancellationToken);

            TrainJob.Result? trained = null;
            if (!parse.GetValue(_skipTrain))
            {
                var modelFolder = io.Resolve(parse.GetValue(_model) ?? Path.Combine("models", Path.GetFileName(export.Folder)));
                io.Error.WriteLine($"[4/4] train a small reward model ({SmallModel.Architecture})");
                trained = await TrainJob.RunAsync(io, SmallModel with { Seed = parse.GetValue(_seed) }, export.Folder, modelFolder,
                    resume: ModelFolder.HoldsModel(modelFolder), parse.GetValue(_device)!, cancellationToken);
            }

            PairingOutput.Write(io.Out, pairs, ResultFormat.Table);
            io.Out.WriteLine($"store: {dbPath}");
            ExportOutput.Print(io, export);
            if (trained is not null)
            {
                TrainingOutput.Print(io, trained.Evaluations);
                io.Out.WriteLine($"model: {io.Resolve(parse.GetValue(_model) ?? Path.Combine("models", Path.GetFileName(export.Folder)))} " +
                    $"(trained in {trained.Elapsed.TotalSeconds:F0} s; report.md and plots there)");
            }
            io.Out.WriteLine($"next: forumprefs query top_posts_by_comments --db {settings.Db}");
            return ExitCodes.Done;
        });
    }

    /// <summary>Step 1: the simulator by default, or a Stack Exchange dump, saved pages, OpenAssistant exports or a Discourse forum.</summary>
    private async Task SourceAsync(CliIO io, ParseResult parse, ForumStore store, SimulateSettings settings, bool timelines,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var html = parse.GetValue(_html) ?? [];
        if (parse.GetValue(_stackExchange) is { } dump)
        {
            var site = parse.GetValue(_site) ?? throw new UsageException("--stackexchange needs --site");
            var posts = InputFiles.Existing(io, [dump]);
            var votes = parse.GetValue(_votes) is { } votesFile ? InputFiles.Existing(io, [votesFile]) : null;
            io.Error.WriteLine($"[1/4] ingest Stack Exchange dump {dump} ({site})");
            await IngestJobs.StackExchangePostsAsync(io, store, posts, site, null, cancellationToken);
            if (votes is not null)
            {
                io.Error.WriteLine($"[1/4] ingest vote timelines {parse.GetValue(_votes)}");
                await IngestJobs.StackExchangeVotesAsync(io, store, votes, site, cancellationToken);
            }
            else if (timelines)
            {
                throw new UsageException("--policy common-window on a Stack Exchange dump needs its Votes.xml: --votes FILE");
            }
        }
        else if ((parse.GetValue(_oasst) ?? []) is { Length: > 0 } exports)
        {
            var paths = InputFiles.Existing(io, exports);
            io.Error.WriteLine($"[1/4] ingest {paths.Count} OpenAssistant export(s)");
            await IngestJobs.OasstAsync(io, store, paths, null, cancellationToken);
        }
        else if (parse.GetValue(_discourse) is { } site)
        {
            io.Error.WriteLine($"[1/4] crawl {site}");
            // Every topic the site lists, unless --posts says how many.
            var limit = parse.GetResult(_posts) is { Implicit: false } ? Math.Max(1, settings.Posts) : (int?)null;
            await IngestJobs.DiscourseAsync(io, store, DiscourseSites.Options(site, ignoreRobots: parse.GetValue(_ignoreRobots)), [], null, limit, false, time, cancellationToken);
        }
        else if (html.Length > 0)
        {
            var profile = InputFiles.Profile(io, parse.GetValue(_profile) ?? throw new UsageException("--html needs --profile"));
            var paths = InputFiles.Existing(io, html);
            io.Error.WriteLine($"[1/4] ingest {html.Length} saved page(s) with profile {profile.Name}");
            IngestJobs.HtmlPages(io, store, profile, paths);
        }
        else
        {
            // The common-window policy compares votes over time: the simulator then records scores every 6 hours.
            io.Error.WriteLine($"[1/4] simulate: forums explainlikeimfive, askscience{(timelines ? ", with vote timelines" : "")}");
            await IngestJobs.SimulateAsync(io, store, settings.Simulator, settings.Posts, settings.Batch, 0, timelines ? 6 : 0, cancellationToken);
        }
    }
}
