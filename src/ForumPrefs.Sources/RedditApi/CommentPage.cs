using ForumPrefs.Core;
using ForumPrefs.Sources.Http;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// Reads comment listings (a /comments page, a morechildren answer) into comments and the work still to fetch.
/// A malformed thing is skipped and counted; a response of the wrong shape is a <see cref="FetchFailedException"/>
/// (unreadable): that post is a counted skip of the crawl, not its end.
/// </summary>
public sealed class CommentPage
{
    private readonly List<string> _moreIds = [];
    private readonly HashSet<string> _pendingIds = [];
    private readonly HashSet<string> _linkParents = [];

    public Dictionary<string, Comment> Comments { get; } = [];
    /// <summary>Ids of unloaded comments named by 'more' objects, in the order they were met, not yet fetched.</summary>
    public int PendingMoreIds => _moreIds.Count;
    /// <summary>"Continue this thread" links not yet followed: the comment whose replies they lead to.</summary>
    internal Queue<string> PendingLinks { get; } = new();
    public int BadThings { get; private set; }

    internal bool IsPending(string id) => _pendingIds.Contains(id);

    /// <summary>
    /// Up to <paramref name="max"/> pending ids, taken across 'more' objects (morechildren accepts any comments of
    /// the post); ids already loaded are dropped.
    /// </summary>
    internal List<string> TakeMoreIds(int max)
    {
        var taken = new List<string>(Math.Min(max, _moreIds.Count));
        var used = 0;
        for (; used < _moreIds.Count && taken.Count < max; used++)
        {
            var id = _moreIds[used];
            _pendingIds.Remove(id);
            if (!Comments.ContainsKey(id))
                taken.Add(id);
        }
        _moreIds.RemoveRange(0, used);
        return taken;
    }

    /// <summary>A /comments/{id} page: [post listing, comment listing].</summary>
    public (Forum Forum, Post Post) AddPage(JsonElement root)
    {
        try
        {
            var postData = root[0].GetProperty("data").GetProperty("children")[0].GetProperty("data");
            var result = (RedditThings.ForumOf(postData), RedditThings.Post(postData));
            Walk(root[1].GetProperty("data").GetProperty("children"));
            return result;
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or JsonException)
        {
            throw new FetchFailedException(FetchFailure.Unreadable, $"unexpected comment page from Reddit: {ex.Message}");
        }
    }

    /// <summary>A continue-this-thread page: only its comment listing is new.</summary>
    public void AddContinuation(JsonElement root) => Guard(() => Walk(root[1].GetProperty("data").GetProperty("children")), "continue-thread page");

    /// <summary>An /api/morechildren answer: json.data.things.</summary>
    public void AddMoreChildren(JsonElement root) => Guard(() => Walk(root.GetProperty("json").GetProperty("data").GetProperty("things")), "morechildren answer");

    /// <summary>Parses a whole comment page from text (used by the fuzz tests and by tools).</summary>
    public static (Post Post, CommentPage Page) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var page = new CommentPage();
        var (_, post) = page.AddPage(document.RootElement);
        return (post, page);
    }

    private static void Guard(Action read, string what)
    {
        try
        {
            read();
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new FetchFailedException(FetchFailure.Unreadable, $"unexpected {what} from Reddit: {ex.Message}");
        }
    }

    private void Walk(JsonElement children)
    {
        foreach (var child in children.EnumerateArray())
        {
            try
            {
                var data = child.GetProperty("data");
                switch (child.GetProperty("kind").GetString())
                {
                    case "t1":
                        var comment = RedditThings.Comment(data);
                        Comments[comment.Id] = comment;
                        if (data.TryGetProperty("replies", out var replies) && replies.ValueKind == JsonValueKind.Object)
                            Walk(replies.GetProperty("data").GetProperty("children"));
                        break;
                    case "more":
                        var ids = data.GetProperty("children").EnumerateArray().Select(id => id.GetString() ?? throw new JsonException("null id")).ToList();
                        if (ids.Count > 0)
                        {
                            foreach (var id in ids.Where(id => !Comments.ContainsKey(id) && _pendingIds.Add(id)))
                                _moreIds.Add(id);
                        }
                        else if (data.GetProperty("id").GetString() == "_")
                        {
                            var parent = RedditThings.StripKind(data.GetProperty("parent_id").GetString() ?? throw new JsonException("null parent"));
                            if (_linkParents.Add(parent))
                                PendingLinks.Enqueue(parent);
                        }
                        break;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or JsonException or FormatException or OverflowException or ArgumentException)
            {
                BadThings++;
            }
        }
    }
}
