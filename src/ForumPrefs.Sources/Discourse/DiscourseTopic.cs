using ForumPrefs.Core;
using ForumPrefs.Sources.Html;
using System.Globalization;
using System.Text.Json;

namespace ForumPrefs.Sources.Discourse;

/// <summary>A topic read into a thread, with what was left out and why.</summary>
public sealed record DiscourseTopicResult(ForumThread Thread, IReadOnlyDictionary<string, long> Skipped, int Posts);

/// <summary>
/// Turns a topic's posts (from <c>/t/{id}.json</c> and <c>/t/{id}/posts.json</c>) into a thread: the first post is the
/// post, every later one a comment under the post it replies to (<c>reply_to_post_number</c>; top-level when it replies
/// to the first post or to nothing). Likes come from <c>like_count</c> where present, else the <c>actions_summary</c>
/// entry with id 2; the accepted answer from the Solved plugin's fields (the topic's <c>accepted_answer.post_number</c>
/// or a post's <c>accepted_answer: true</c>); texts from <c>cooked</c> HTML, links and images kept.
/// </summary>
public static class DiscourseTopic
{
    public const string NotAReply = "not_a_reply"; // moderator actions, whispers, small actions (post_type ≠ 1)
    public const string BadPost = "bad_post";

    public static DiscourseTopicResult Parse(Uri site, JsonElement topic, IReadOnlyList<JsonElement> posts, DateTimeOffset observed)
    {
        var skipped = new Dictionary<string, long>();
        void Skip(string kind) => skipped[kind] = skipped.GetValueOrDefault(kind) + 1;
        var topicId = Number(topic, "id")?.ToString(CultureInfo.InvariantCulture) ?? throw new DiscourseException("a topic without an id");
        var byNumber = new Dictionary<long, JsonElement>();
        foreach (var p in posts)
        {
            if (p.ValueKind != JsonValueKind.Object || Number(p, "id") is null || Number(p, "post_number") is not { } number)
                Skip(BadPost);
            else
                byNumber.TryAdd(number, p);
        }
        if (!byNumber.TryGetValue(1, out var first))
            throw new DiscourseException($"topic {topicId} came without its first post");

        var acceptedNumber = topic.TryGetProperty("accepted_answer", out var a) && a.ValueKind == JsonValueKind.Object ? Number(a, "post_number") : null;
        acceptedNumber ??= byNumber.Values.Where(p => Flag(p, "accepted_answer")).Select(p => Number(p, "post_number")).FirstOrDefault();
        string IdOf(long number) => byNumber.TryGetValue(number, out var p) ? Number(p, "id")!.Value.ToString(CultureInfo.InvariantCulture) : "";
        var creator = Text(first, "username") ?? "";
        var slug = Text(topic, "slug") ?? "topic";
        var post = new Post(topicId, Text(topic, "title") ?? "", Body(first), creator, Likes(first), null, Time(first, "created_at"),
            null, false, true, null, new Uri(site, $"t/{Uri.EscapeDataString(slug)}/{topicId}").AbsoluteUri,
            (int)Math.Max(0, (Number(topic, "posts_count") ?? byNumber.Count) - 1), acceptedNumber is { } n ? IdOf(n) : null)
        {
            Tags = Tags(topic),
            Meta = Meta(first, acceptedNumber),
        };

        var comments = new List<Comment>();
        foreach (var (number, p) in byNumber.OrderBy(x => x.Key))
        {
            if (number == 1)
                continue;
            if (Number(p, "post_type") is { } type && type != 1)
            {
                Skip(NotAReply);
                continue;
            }
            var replyTo = Number(p, "reply_to_post_number");
            // Replies to the first post, to nothing, or to a post this topic no longer shows are answers to the topic.
            var parent = replyTo is { } r && r != 1 && byNumber.ContainsKey(r) ? IdOf(r) : topicId;
            var staff = Flag(p, "moderator") || Flag(p, "admin") || Flag(p, "staff");
            comments.Add(new Comment(IdOf(number), topicId, parent, parent == topicId ? 0 : -1, Body(p), Author(p), Likes(p), Time(p, "created_at"),
                null, staff ? "moderator" : null, false, Text(p, "username") == creator)
            { Meta = Meta(p, acceptedNumber) });
        }
        return new DiscourseTopicResult(new ForumThread(new Forum(SourceNames.Discourse, site.Host.ToLowerInvariant()), post, comments, observed),
            skipped, byNumber.Count);
    }

    /// <summary>Every post id of the topic, in order (<c>post_stream.stream</c>), to fetch the ones the first page lacks.</summary>
    public static IReadOnlyList<long> Stream(JsonElement topic) =>
        topic.TryGetProperty("post_stream", out var s) && s.TryGetProperty("stream", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Number).Select(i => i.GetInt64()).ToList()
            : [];

    public static IReadOnlyList<JsonElement> Posts(JsonElement response) =>
        response.TryGetProperty("post_stream", out var s) && s.TryGetProperty("posts", out var posts) && posts.ValueKind == JsonValueKind.Array
            ? posts.EnumerateArray().Select(p => p.Clone()).ToList()
            : [];

    /// <summary><c>like_count</c>, else the count of the like action (id 2) in <c>actions_summary</c>, else 0.</summary>
    public static int Likes(JsonElement post)
    {
        if (Number(post, "like_count") is { } likes)
            return (int)Math.Clamp(likes, 0, int.MaxValue);
        if (post.TryGetProperty("actions_summary", out var actions) && actions.ValueKind == JsonValueKind.Array)
            foreach (var action in actions.EnumerateArray())
                if (Number(action, "id") == 2 && Number(action, "count") is { } count)
                    return (int)Math.Clamp(count, 0, int.MaxValue);
        return 0;
    }

    private static string Body(JsonElement p) =>
        p.TryGetProperty("deleted_at", out var d) && d.ValueKind == JsonValueKind.String || Flag(p, "user_deleted") || Flag(p, "hidden")
            ? DeletedContent.Removed
            : HtmlText.ToText(Text(p, "cooked") ?? "");

    private static string Author(JsonElement p) => Text(p, "username") ?? DeletedContent.Deleted;

    private static string Meta(JsonElement p, long? acceptedNumber)
    {
        var number = Number(p, "post_number");
        return JsonSerializer.Serialize(new
        {
            post_number = number,
            reply_to_post_number = Number(p, "reply_to_post_number"),
            accepted = number is not null && number == acceptedNumber,
            reads = Number(p, "reads"),
        });
    }

    private static IReadOnlyList<string> Tags(JsonElement topic) =>
        topic.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : Text(t, "name")).OfType<string>().ToList()
            : [];

    private static DateTimeOffset Time(JsonElement e, string name) =>
        Text(e, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime() : DateTimeOffset.UnixEpoch;

    internal static long? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    internal static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
