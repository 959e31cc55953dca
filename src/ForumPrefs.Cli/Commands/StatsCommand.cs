using ForumPrefs.Cli.Output;
using ForumPrefs.Store;
using System.CommandLine;
using System.Text.Json;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs stats</c>: what the store holds, per source and forum.</summary>
internal sealed class StatsCommand : Command
{
    private readonly Option<string> _db = CommonOptions.Db();
    private readonly Option<ResultFormat> _format = CommonOptions.Format();

    public StatsCommand(CliIO io) : base("stats", "Counts per source and forum, score snapshots and checkpoints")
    {
        Options.Add(_db);
        Options.Add(_format);
        SetAction(parse =>
        {
            var path = io.Resolve(parse.GetValue(_db)!);
            using var store = ForumStore.Open(path, create: false);
            var stats = StoreStats.Read(store);
            Write(io.Out, stats, parse.GetValue(_format));
            return ExitCodes.Done;
        });
    }

    private static void Write(TextWriter writer, StoreStats stats, ResultFormat format)
    {
        if (format == ResultFormat.Json)
        {
            writer.WriteLine(JsonSerializer.Serialize(stats, ForumPrefs.Core.JsonDefaults.SnakeCaseIndented));
            return;
        }
        var forums = new QueryResult(["source", "forum", "posts", "comments", "removed_comments"],
            stats.Forums.Select(f => new object?[] { f.Source, f.Forum, f.Posts, f.Comments, f.RemovedComments }).ToList());
        ResultWriter.Write(writer, forums, format);
        if (format == ResultFormat.Csv)
            return;
        writer.WriteLine($"score snapshots: {stats.Snapshots:N0}   schema version: {stats.SchemaVersion}");
        if (stats.Skipped.Count > 0)
        {
            writer.WriteLine("skipped input records:");
            ResultWriter.WriteTable(writer, new QueryResult(["source", "kind", "records"],
                stats.Skipped.Select(s => new object?[] { s.Source, s.Kind, s.Records }).ToList()));
        }
        if (stats.Checkpoints.Count == 0)
            return;
        var checkpoints = new QueryResult(["source", "key", "state", "updated_utc"],
            stats.Checkpoints.Select(c => new object?[] { c.Source, c.Key, c.State, c.Updated.ToString("u") }).ToList());
        ResultWriter.WriteTable(writer, checkpoints);
    }
}
