using ForumPrefs.Datasets;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Settings;
using ForumPrefs.Pairing;
using ForumPrefs.Cli.Output;
using ForumPrefs.Export;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;
using ForumPrefs.Training;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary>
/// <c>forumprefs run</c>: the main job on the embedded default source, or on the inputs of any source that offers
/// itself to <c>run</c> (<c>--stackexchange</c>, <c>--html</c>, <c>--oasst</c>, <c>--discourse</c>, <c>--mapped</c>...).
/// It runs every stage that exists — source into the store, pairs, export — and says where the outputs are.
/// Rerunning resumes.
/// </summary>
internal sealed class RunCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<int> _posts = new("--posts") { Description = "Threads to simulate (topics to crawl with --discourse)", DefaultValueFactory = _ => 2000 };
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string> _out = new("--out") { Description = "Dataset folder", HelpName = "FOLDER", DefaultValueFactory = _ => "datasets/simulated" };
    private readonly Option<string?> _model = new("--model") { Description = "Model folder (default: models/<dataset name>)", HelpName = "FOLDER" };
    private readonly Option<bool> _skipTrain = new("--skip-train") { Description = "Stop after the export" };
    private readonly Option<bool> _force = new("--force") { Description = "Replace a non-empty dataset folder that is not an earlier export of this store" };
    private readonly Option<string> _device = new("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
    private readonly PairingOptions _pairing;
    private readonly PublishOptions _publish = new();
    /// <summary>Each source <c>run</c> can take instead of the simulator, with the option naming its inputs.</summary>
    private readonly List<(IIngestSource Source, Option<string[]> Inputs)> _sources = [];
    private readonly SourceOptions _sourceOptions;

    /// <summary>A small model that trains on the simulator export in about a minute on two cores.</summary>
    internal static readonly TrainConfig SmallModel = new() { Layers = 2, Width = 64, Heads = 4, MaxLength = 160, BatchSize = 32, LearningRate = 1e-3, Epochs = 1 };

    public RunCommand(CliIO io, TimeProvider time, ForumSources sources)
        : base("run", "Run the whole pipeline: simulate (or ingest a dump, pages, exports or a forum), pairs, export, train")
    {
        _pairing = new PairingOptions(sources);
        foreach (var option in new Option[] { _db, _posts, _seed, _out, _model, _skipTrain, _force, _device })
            Options.Add(option);
        var own = new Dictionary<string, Option> { ["posts"] = _posts };
        foreach (var source in sources.Ingests.Where(s => s.RunOption is not null).OrderBy(s => s.RunOrder))
        {
            var inputs = new Option<string[]>("--" + source.RunOption)
            {
                Description = $"Use {source.Inputs} instead of the simulator ({source.Description})",
                HelpName = source.Formats.SequenceEqual(["URL"]) ? "URL" : "FILE", AllowMultipleArgumentsPerToken = true,
            };
            Options.Add(inputs);
            own[source.RunOption!] = inputs;
            _sources.Add((source, inputs));
        }
        _sourceOptions = new SourceOptions(this, _sources.SelectMany(s => s.Source.Options), requiredAsDeclared: false, own);
        _pairing.AddTo(this);
        _publish.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var settings = SimulateSettings.From(parse.GetValue(_db)!, parse.GetValue(_posts),
                parse.GetValue(_seed), "explainlikeimfive,askscience", 200);
            var pairing = _pairing.Read(parse, io.Resolve);
            var dbPath = io.Resolve(settings.Db);
            using var store = ForumStore.Open(dbPath);

            var dataset = await SourceAsync(io, parse, store, settings, pairing.NeedsVoteTimelines, time, cancellationToken);
            io.Error.WriteLine("[2/4] pairs");
            var pairs = await PairsJob.RunAsync(io, store, pairing, cancellationToken);
            io.Error.WriteLine("[3/4] export");
            // Without --out, the dataset is named after its source.
            var outFolder = parse.GetResult(_out) is { Implicit: false } || dataset is null ? parse.GetValue(_out)! : $"datasets/{FolderNames.Safe(dataset)}";
            var export = await ExportJob.RunAsync(io, store, outFolder, _publish.Apply(parse, new ExportOptions(ExportFormat.Shp)),
                pairing.Policy, pairing.Forum, pairing.SourceDefaults, parse.GetValue(_force), cancellationToken);

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

    /// <summary>Step 1: the sources named, in their run order, or else the simulator. Returns the dataset's name (null: the simulator's).</summary>
    private async Task<string?> SourceAsync(CliIO io, ParseResult parse, ForumStore store, SimulateSettings settings, bool timelines,
        TimeProvider time, CancellationToken cancellationToken)
    {
        string? dataset = null;
        var arguments = _sourceOptions.Read(parse, io);
        foreach (var (source, option) in _sources)
        {
            if (parse.GetValue(option) is not { Length: > 0 } named)
                continue;
            var inputs = source.Formats.SequenceEqual(["URL"]) ? named : InputFiles.Existing(io, named);
            var sourceSettings = source.Settings(arguments);
            io.Error.WriteLine($"[1/4] {source.Name}: {string.Join(", ", named)}");
            var run = await IngestJobs.RunAsync(io, store, source, inputs, sourceSettings, time, cancellationToken);
            foreach (var note in run.Notes.Concat(run.Lines))
                io.Error.WriteLine(note);
            dataset ??= source.DatasetName(inputs, sourceSettings);
        }
        if (dataset is not null)
            return dataset;
        // The common-window policy compares votes over time: the simulator then records scores every 6 hours.
        io.Error.WriteLine($"[1/4] simulate: forums explainlikeimfive, askscience{(timelines ? ", with vote timelines" : "")}");
        await IngestJobs.SimulateAsync(io, store, settings.Simulator, settings.Posts, settings.Batch, 0, timelines ? 6 : 0, cancellationToken);
        return null;
    }
}
