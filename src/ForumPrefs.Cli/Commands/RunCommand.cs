using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Export;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary>
/// <c>forumprefs run</c>: the main job on the embedded default source. It runs every stage that exists —
/// simulate into the store, build SHP pairs, export a dataset — and says where the outputs are. Rerunning resumes.
/// </summary>
internal sealed class RunCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<int> _posts = new("--posts") { Description = "Threads to simulate", DefaultValueFactory = _ => 2000 };
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<string> _out = new("--out") { Description = "Dataset folder", HelpName = "FOLDER", DefaultValueFactory = _ => "datasets/simulated" };
    private readonly PairingOptions _pairing = new();

    public RunCommand(CliIO io) : base("run", "Run the whole pipeline on the simulator: simulate, pairs, export")
    {
        Options.Add(_db);
        Options.Add(_posts);
        Options.Add(_seed);
        Options.Add(_out);
        _pairing.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var settings = SimulateCommand.Settings.From(parse.GetValue(_db)!, parse.GetValue(_posts),
                parse.GetValue(_seed), "explainlikeimfive,askscience", 200);
            var pairing = _pairing.Read(parse);
            var dbPath = io.Resolve(settings.Db);
            using var store = ForumStore.Open(dbPath);

            io.Error.WriteLine("[1/3] simulate: forums explainlikeimfive, askscience");
            await SimulateJob.RunAsync(io, store, settings.Simulator, settings.Posts, settings.Batch, 0, cancellationToken);
            io.Error.WriteLine("[2/3] pairs");
            var pairs = await PairsJob.RunAsync(io, store, pairing, cancellationToken);
            io.Error.WriteLine("[3/3] export");
            var export = await ExportJob.RunAsync(io, store, parse.GetValue(_out)!, new ExportOptions(ExportFormat.Shp),
                pairing.Policy, pairing.Forum, cancellationToken);

            PairingOutput.Write(io.Out, pairs, ResultFormat.Table);
            io.Out.WriteLine($"store: {dbPath}");
            ExportCommand.Report(io, export);
            io.Out.WriteLine($"next: forumprefs query top_posts_by_comments --db {settings.Db}");
            return ExitCodes.Done;
        });
    }
}
