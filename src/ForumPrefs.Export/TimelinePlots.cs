using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using ScottPlot;

namespace ForumPrefs.Export;

/// <summary>
/// Score over time for a few threads of each common-window export: people read trajectories faster than tables, and
/// see at a glance how the earlier answer's head start and the common window look.
/// </summary>
public static class TimelinePlots
{
    private const int Threads = 4;

    public static IReadOnlyList<string> Write(string outFolder, ForumStore store, IReadOnlyList<ForumExport> exports)
    {
        var written = new List<string>();
        foreach (var export in exports.Where(e => e.Run.Policy == CommonWindowPolicy.PolicyName))
        {
            foreach (var (forumId, postId, title) in store.BusiestPosts(export.Run, Threads))
            {
                var timelines = store.CommentTimelines(forumId, postId);
                var plot = new Plot();
                foreach (var (comment, points) in timelines.Where(t => t.Value.Count > 1).OrderBy(t => t.Value[0].At).Take(8))
                {
                    var xs = points.Select(p => ((p.At - points[0].At).TotalHours + Offset(timelines, points)) / 24).ToArray();
                    var line = plot.Add.Scatter(xs, points.Select(p => (double)p.Score).ToArray());
                    line.ConnectStyle = ConnectStyle.StepHorizontal;
                    line.LegendText = comment;
                }
                plot.Title(title.Length > 60 ? title[..57] + "..." : title);
                plot.XLabel("days after the first answer");
                plot.YLabel("score");
                plot.ShowLegend(Alignment.UpperLeft);
                var folder = Path.Combine(outFolder, "plots");
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, $"timeline_{export.Folder}_{FolderNames.Safe(postId)}.png");
                plot.SavePng(path, 900, 450);
                written.Add(Path.GetRelativePath(outFolder, path).Replace('\\', '/'));
            }
        }
        return written;
    }

    // Every curve on one clock: hours from the thread's first sighting.
    private static double Offset(IReadOnlyDictionary<string, IReadOnlyList<(DateTimeOffset At, int Score)>> all,
        IReadOnlyList<(DateTimeOffset At, int Score)> points) =>
        (points[0].At - all.Values.Min(p => p[0].At)).TotalHours;
}
