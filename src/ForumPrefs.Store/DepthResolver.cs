using ForumPrefs.Store.Reads;
using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>How reply depths were settled: resolved now, replies whose parents have not arrived yet, and cycles.</summary>
public sealed record DepthReport(long Resolved, long Waiting, long InCycles);

/// <summary>
/// Works out the depth of replies stored without one (depth -1: dumps bring comments before their parents), for the
/// posts written to since the last call only. Each post's parent links are read once and walked with memoisation, so
/// the work is linear in the comments of those posts however long a reply chain is. A reply whose chain reaches a
/// missing parent keeps -1 and is tried again when its post is written to again; a chain that loops (corrupt data)
/// is stored as depth -2 once and counted, never walked again.
/// </summary>
internal static class DepthResolver
{
    public const int Unknown = -1;
    public const int Cycle = -2;

    /// <summary>
    /// Posts written to that hold a reply waiting for its depth: answered from the small index of waiting replies
    /// (comments_waiting), so posts whose replies all got their depth as they were written cost nothing here.
    /// </summary>
    internal const string WaitingPosts = """
        SELECT t.forum_id, t.post_id FROM touched_posts t
        WHERE EXISTS (SELECT 1 FROM comments c WHERE c.forum_id = t.forum_id AND c.post_id = t.post_id AND c.depth = -1)
        """;

    public static DepthReport Resolve(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var posts = new List<(long Forum, string Post)>();
        using (var touched = Db.Command(connection, transaction, WaitingPosts))
        using (var reader = touched.ExecuteReader())
        {
            while (reader.Read())
                posts.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        // Prepared once and bound natively: a run that brought replies before their parents settles one per row.
        using var load = new PreparedCommand(connection, "SELECT pk, id, parent_id, depth FROM comments WHERE forum_id = ?1 AND post_id = ?2");
        using var update = new PreparedCommand(connection, "UPDATE comments SET depth = ?1 WHERE pk = ?2");

        long resolved = 0, waiting = 0, cycles = 0;
        foreach (var (forum, post) in posts)
        {
            var comments = new Dictionary<string, Node>();
            load.Set(1, forum).Set(2, post);
            while (load.Next())
                comments[load.Text(1)] = new Node(load.Int64(0), load.Text(2), (int)load.Int64(3));
            foreach (var node in comments.Values.Where(n => n.Stored == Unknown))
            {
                var depth = DepthOf(node, post, comments);
                if (depth == Unknown)
                {
                    waiting++;
                    continue;
                }
                update.Set(1, (long)depth).Set(2, node.Pk).Run();
                if (depth == Cycle) cycles++; else resolved++;
            }
        }
        using (var clear = Db.Command(connection, transaction, "DELETE FROM touched_posts"))
            clear.ExecuteNonQuery();
        transaction.Commit();
        return new DepthReport(resolved, waiting, cycles);
    }

    private sealed class Node(long pk, string parent, int stored)
    {
        public long Pk { get; } = pk;
        public string Parent { get; } = parent;
        public int Stored { get; } = stored;
        public int? Depth { get; set; } = stored >= 0 ? stored : null;
        public bool OnPath { get; set; }
    }

    /// <summary>Walks up once, then settles every comment on the way: each comment is settled at most once.</summary>
    private static int DepthOf(Node start, string post, Dictionary<string, Node> comments)
    {
        var path = new List<Node>();
        var node = start;
        int? above; // depth of what the path hangs from: -1 for the post itself; null: the chain never reaches the post
        int fallback = Unknown;
        while (true)
        {
            if (node.Depth is { } known)
            {
                above = known >= 0 ? known : null;
                fallback = known;
                break;
            }
            if (node.OnPath)
            {
                above = null;
                fallback = Cycle;
                break;
            }
            node.OnPath = true;
            path.Add(node);
            if (node.Parent == post)
            {
                above = -1;
                break;
            }
            if (!comments.TryGetValue(node.Parent, out var parent))
            {
                above = null; // the parent has not arrived yet
                break;
            }
            node = parent;
        }
        for (var i = path.Count - 1; i >= 0; i--)
        {
            path[i].OnPath = false;
            path[i].Depth = above is { } top ? top + (path.Count - i) : fallback;
        }
        return start.Depth!.Value;
    }
}
