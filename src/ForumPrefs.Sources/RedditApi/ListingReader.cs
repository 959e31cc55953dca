using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>One page of a subreddit listing: its posts and the cursor to the next page (null at the end).</summary>
public sealed record ListingPage(IReadOnlyList<(Forum Forum, Post Post)> Posts, string? After);

/// <summary>Reads subreddit listings (/r/{sub}/{top|new|hot}), a page at a time, following Reddit's <c>after</c> cursor.</summary>
public sealed class ListingReader(RedditClient client)
{
    public static readonly string[] Sorts = ["top", "new", "hot"];
    public static readonly string[] Times = ["hour", "day", "week", "month", "year", "all"];

    public async Task<ListingPage> PageAsync(string subreddit, string sort, string time, int limit, string? after,
        CancellationToken cancellationToken = default)
    {
        var query = $"r/{Uri.EscapeDataString(subreddit)}/{sort}?raw_json=1&limit={Math.Clamp(limit, 1, 100)}&t={time}"
            + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        using var json = await client.GetAsync(query, cancellationToken);
        return Parse(json.RootElement);
    }

    /// <summary>A listing's posts and cursor; posts that cannot be read are left out, a listing of the wrong shape is an error.</summary>
    public static ListingPage Parse(JsonElement root)
    {
        try
        {
            var data = root.GetProperty("data");
            var posts = new List<(Forum, Post)>();
            foreach (var child in data.GetProperty("children").EnumerateArray())
            {
                try
                {
                    if (child.GetProperty("kind").GetString() == "t3")
                        posts.Add((RedditThings.ForumOf(child.GetProperty("data")), RedditThings.Post(child.GetProperty("data"))));
                }
                catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or JsonException or ArgumentException)
                {
                    // A malformed post is skipped; the rest of the page is kept.
                }
            }
            var next = data.TryGetProperty("after", out var cursor) && cursor.ValueKind == JsonValueKind.String ? cursor.GetString() : null;
            return new ListingPage(posts, next);
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
        {
            throw new RedditApiException($"unexpected listing from Reddit: {ex.Message}");
        }
    }
}
