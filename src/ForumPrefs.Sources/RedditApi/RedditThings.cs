using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>Reads Reddit "things" (t3 posts, t1 comments) from API JSON into the core records.</summary>
internal static class RedditThings
{
    public static Forum ForumOf(JsonElement data) => new(SourceNames.Reddit, Text(data, "subreddit") is { Length: > 0 } name && !string.IsNullOrWhiteSpace(name) ? name : "unknown");

    public static Post Post(JsonElement data) => new(
        Id: Text(data, "id") ?? throw new JsonException("post without id"),
        Title: Text(data, "title") ?? "",
        Body: Text(data, "selftext") ?? "",
        Author: Text(data, "author") ?? DeletedContent.Deleted,
        Score: Whole(Number(data, "score")),
        UpvoteRatio: data.TryGetProperty("upvote_ratio", out var ratio) && ratio.ValueKind == JsonValueKind.Number ? ratio.GetDouble() : null,
        Created: Time(Number(data, "created_utc")),
        Edited: Edited(data),
        Over18: Flag(data, "over_18"),
        IsSelf: Flag(data, "is_self"),
        Distinguished: Text(data, "distinguished"),
        Url: Text(data, "url"),
        NumComments: Whole(Number(data, "num_comments")));

    /// <summary>A comment with depth -1: depth is worked out from the finished tree.</summary>
    public static Comment Comment(JsonElement data) => new(
        Id: Text(data, "id") ?? throw new JsonException("comment without id"),
        PostId: StripKind(Text(data, "link_id") ?? ""),
        ParentId: StripKind(Text(data, "parent_id") ?? ""),
        Depth: -1,
        Body: Text(data, "body") ?? "",
        Author: Text(data, "author") ?? DeletedContent.Deleted,
        Score: Whole(Number(data, "score")),
        Created: Time(Number(data, "created_utc")),
        Edited: Edited(data),
        Distinguished: Text(data, "distinguished"),
        Stickied: Flag(data, "stickied"),
        IsSubmitter: Flag(data, "is_submitter"));

    // A count beyond 32 bits is no real Reddit score: the thing is malformed (skipped and counted by the caller).
    private static int Whole(double value) => double.IsNaN(value) ? 0
        : value is >= int.MinValue and <= int.MaxValue ? (int)value
        : throw new OverflowException($"score {value:E3} is beyond 32 bits");

    public static string StripKind(string fullname) =>
        fullname.Length > 3 && fullname[0] == 't' && fullname[2] == '_' ? fullname[3..] : fullname;

    private static DateTimeOffset? Edited(JsonElement data) =>
        data.TryGetProperty("edited", out var edited) && edited.ValueKind == JsonValueKind.Number && edited.TryGetDouble(out var at) ? Time(at) : null;

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Number(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : 0;

    private static bool Flag(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static DateTimeOffset Time(double seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(double.IsNaN(seconds) ? 0 : seconds, -62135596800, 253402300799));
}
