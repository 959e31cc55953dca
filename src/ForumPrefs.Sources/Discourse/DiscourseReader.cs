using ForumPrefs.Sources.Http;
using System.Globalization;
using System.Text.Json;

namespace ForumPrefs.Sources.Discourse;

/// <summary>One page of a topic listing: the topic ids in it, and whether another page follows.</summary>
public sealed record TopicPage(IReadOnlyList<long> TopicIds, bool More);

/// <summary>A topic with all its posts, and the requests it took.</summary>
public sealed record FetchedTopic(DiscourseTopicResult Topic, int Requests, int MissingPosts);

/// <summary>
/// Reads a Discourse site through its public JSON API: listings (<c>/latest.json</c>, a category's
/// <c>/c/{id}.json</c>, paged with <c>?page=N</c> until <c>more_topics_url</c> is gone) and whole topics
/// (<c>/t/{id}.json</c>, then the posts the first page lacks from <c>/t/{id}/posts.json?post_ids[]=...</c>, in chunks).
/// </summary>
public sealed class DiscourseReader(DiscourseClient client, TimeProvider time)
{
    /// <summary>Posts asked for in one posts.json request (Discourse's own chunk size).</summary>
    public const int PostsPerRequest = 20;

    public async Task<TopicPage> ListingAsync(string? category, int page, CancellationToken cancellationToken)
    {
        var path = category is null ? "latest.json" : $"c/{Uri.EscapeDataString(category)}.json";
        using var document = await client.GetAsync($"{path}?page={page.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        if (!document.RootElement.TryGetProperty("topic_list", out var list) || !list.TryGetProperty("topics", out var topics)
            || topics.ValueKind != JsonValueKind.Array)
            throw new DiscourseException($"{client.Host}/{path} is not a topic listing");
        var ids = topics.EnumerateArray().Select(t => DiscourseTopic.Number(t, "id")).OfType<long>().ToList();
        return new TopicPage(ids, ids.Count > 0 && DiscourseTopic.Text(list, "more_topics_url") is not null);
    }

    public async Task<FetchedTopic> TopicAsync(long id, CancellationToken cancellationToken)
    {
        using var topic = await client.GetAsync($"t/{id.ToString(CultureInfo.InvariantCulture)}.json", cancellationToken);
        var requests = 1;
        var posts = DiscourseTopic.Posts(topic.RootElement).ToList();
        var have = posts.Select(p => DiscourseTopic.Number(p, "id")).OfType<long>().ToHashSet();
        var missing = DiscourseTopic.Stream(topic.RootElement).Where(p => !have.Contains(p)).ToList();
        for (var start = 0; start < missing.Count; start += PostsPerRequest)
        {
            var chunk = missing.Skip(start).Take(PostsPerRequest);
            var query = string.Join("&", chunk.Select(p => $"post_ids[]={p.ToString(CultureInfo.InvariantCulture)}"));
            using var more = await client.GetAsync($"t/{id.ToString(CultureInfo.InvariantCulture)}/posts.json?{query}", cancellationToken);
            requests++;
            foreach (var post in DiscourseTopic.Posts(more.RootElement))
                if (DiscourseTopic.Number(post, "id") is { } postId && have.Add(postId))
                    posts.Add(post);
        }
        try
        {
            var result = DiscourseTopic.Parse(client.Site, topic.RootElement, posts, time.GetUtcNow());
            return new FetchedTopic(result, requests, missing.Count(p => !have.Contains(p)));
        }
        catch (Exception ex) when (ex is DiscourseException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // A topic of the wrong shape is that topic's skip, not the crawl's end.
            throw new FetchFailedException(FetchFailure.Unreadable, $"topic {id}: {ex.Message}");
        }
    }
}
