using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// Reads comment listings (a /comments page, a morechildren answer) into comments and the work still to fetch.
/// A malformed thing is skipped and counted; a response of the wrong shape is a <see cref="RedditApiException"/>.
/// </summary>
public sealed class CommentPage
{
    internal abstract record Work;
    internal sealed record MoreIds(IReadOnlyList<string> Ids, int Count) : Work;
    internal sealed record ContinueLink(string ParentId) : Work;

    public Dictionary<string, Comment> Comments { get; } = [];
    internal Queue<Work> Pending { get; } = new();
    public int BadThings { get; private set; }

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
            throw new RedditApiException($"unexpected comment page from Reddit: {ex.Message}");
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
            throw new RedditApiException($"unexpected {what} from Reddit: {ex.Message}");
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
                            Pending.Enqueue(new MoreIds(ids, data.TryGetProperty("count", out var count) && count.TryGetInt32(out var n) ? n : ids.Count));
                        else if (data.GetProperty("id").GetString() == "_")
                            Pending.Enqueue(new ContinueLink(RedditThings.StripKind(data.GetProperty("parent_id").GetString() ?? throw new JsonException("null parent"))));
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
