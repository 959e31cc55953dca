using ForumPrefs.Core;
using ForumPrefs.Store.Reads;

namespace ForumPrefs.Export;

/// <summary>
/// Each exported item's licence and permalink, from what its source says: Stack Exchange posts carry their own
/// (ContentLicense, CC BY-SA 2.5 to 4.0); OpenAssistant is Apache-2.0; Reddit grants no licence to its users' posts;
/// Discourse forums and saved pages set their own terms; the simulator's texts are generated.
/// </summary>
public static class Licences
{
    public const string RedditNone = "none granted (Reddit User Agreement)";
    public const string ApacheOasst = "Apache-2.0";
    public const string ForumTerms = "the forum's own terms";
    public const string StackExchangeUnstated = "CC BY-SA (version not in the dump)";
    public const string Simulated = "simulated text (no rights attached)";

    public static Attribution Question(Forum forum, PostRow post) => new(
        License(forum, post.License, post.Url), forum.Source == SourceNames.Reddit || post.Url is null ? PostLink(forum, post.Id) : post.Url, post.Author);

    public static Attribution Answer(Forum forum, PostRow post, AnswerRow answer) => new(
        License(forum, answer.License, post.Url), AnswerLink(forum, post, answer.Id), answer.Author);

    /// <summary>Whether content under this licence must be attributed item by item (CC BY-SA, Apache-2.0's notice).</summary>
    public static bool NeedsAttribution(string license) => license.StartsWith("CC BY", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Hugging Face card's <c>license:</c> id for one licence text, or null where it has none.</summary>
    public static string? HubId(string license) => license switch
    {
        ApacheOasst => "apache-2.0",
        "CC BY-SA 4.0" => "cc-by-sa-4.0",
        "CC BY-SA 3.0" => "cc-by-sa-3.0",
        "CC BY-SA 2.5" => "cc-by-sa-2.5",
        _ => null,
    };

    /// <summary>Whether a licence text is a forum's own terms (with or without their address).</summary>
    public static bool IsForumTerms(string license) => license.StartsWith(ForumTerms, StringComparison.Ordinal);

    private static string License(Forum forum, string? stated, string? postUrl) => stated ?? forum.Source switch
    {
        SourceNames.StackExchange => StackExchangeUnstated,
        SourceNames.Reddit => RedditNone,
        SourceNames.OpenAssistant => ApacheOasst,
        SourceNames.Simulator => Simulated,
        // Discourse sites publish their terms at /tos (their about.json carries no licence): the item points there.
        SourceNames.Discourse when SiteOf(postUrl) is { } site => $"{ForumTerms} ({site}/tos)",
        _ => ForumTerms,
    };

    /// <summary>https://host of an absolute http(s) link, else null.</summary>
    private static string? SiteOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? $"{uri.Scheme}://{uri.Authority}" : null;

    private static string PostLink(Forum forum, string postId) => forum.Source switch
    {
        SourceNames.Reddit => $"https://www.reddit.com/r/{Uri.EscapeDataString(forum.Name)}/comments/{Uri.EscapeDataString(postId)}/",
        SourceNames.OpenAssistant => $"https://huggingface.co/datasets/OpenAssistant/oasst1#{Uri.EscapeDataString(postId)}",
        _ => "",
    };

    private static string AnswerLink(Forum forum, PostRow post, string answerId) => forum.Source switch
    {
        SourceNames.Reddit => $"https://www.reddit.com/r/{Uri.EscapeDataString(forum.Name)}/comments/{Uri.EscapeDataString(post.Id)}/_/{Uri.EscapeDataString(answerId)}/",
        // Stack Exchange answers live at https://{site}/a/{id}; the question's link gives the site.
        SourceNames.StackExchange when post.Url is { } url && url.IndexOf("/q/", StringComparison.Ordinal) is var at and > 0
            => $"{url[..at]}/a/{Uri.EscapeDataString(answerId)}",
        SourceNames.OpenAssistant => $"https://huggingface.co/datasets/OpenAssistant/oasst1#{Uri.EscapeDataString(answerId)}",
        _ => post.Url ?? "",
    };
}
