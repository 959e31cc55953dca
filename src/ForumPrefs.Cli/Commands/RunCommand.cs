using ForumPrefs.Cli.Jobs;
using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary>
/// <c>forumprefs run</c>: the main job on the embedded default source. It runs every stage that exists
/// (today: simulate into the store) and says where the outputs are. Rerunning resumes.
/// </summary>
internal sealed class RunCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<int> _posts = new("--posts") { Description = "Threads to simulate", DefaultValueFactory = _ => 2000 };
    private readonly Option<int> _seed = CommonOptions.Seed();

    public RunCommand(CliIO io) : base("run", "Run the whole pipeline on the simulator (the embedded default source)")
    {
        Options.Add(_db);
        Options.Add(_posts);
        Options.Add(_seed);
        SetAction(async (parse, cancellationToken) =>
        {
            var settings = SimulateCommand.Settings.From(parse.GetValue(_db)!, parse.GetValue(_posts),
                parse.GetValue(_seed), "explainlikeimfive,askscience", 200);
            var dbPath = io.Resolve(settings.Db);
            using var store = ForumStore.Open(dbPath);

            io.Error.WriteLine("[1/1] simulate: forums explainlikeimfive, askscience");
            var simulated = await SimulateJob.RunAsync(io, store, settings.Simulator, settings.Posts, settings.Batch, 0, cancellationToken);

            var stats = StoreStats.Read(store);
            io.Out.WriteLine($"store: {dbPath}");
            foreach (var forum in stats.Forums)
                io.Out.WriteLine($"  {forum.Source}/{forum.Forum}: {forum.Posts:N0} posts, {forum.Comments:N0} comments");
            io.Out.WriteLine($"  {stats.Snapshots:N0} score snapshots; this run wrote posts {simulated.From:N0}..{simulated.To:N0}");
            io.Out.WriteLine("next: forumprefs query top_posts_by_comments --db " + settings.Db);
            return ExitCodes.Done;
        });
    }
}
