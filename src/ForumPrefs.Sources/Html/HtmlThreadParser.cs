using ForumPrefs.Core;
using HtmlAgilityPack;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// What a page gave: the thread, what could not be read (counted per kind, never guessed), the "load more" stubs, and
/// how many comments were kept with a score the page hid (stored as unknown).
/// </summary>
public sealed record ParsedPage(ForumThread Thread, IReadOnlyDictionary<string, long> Skipped, int MoreStubs, int HiddenScores = 0);

/// <summary>Reads a saved or fetched forum page into a thread with a <see cref="HtmlProfile"/>.</summary>
public static class HtmlThreadParser
{
    private const int MaxNesting = 2_000;

    public static ParsedPage Parse(string html, HtmlProfile profile, DateTimeOffset observed, string origin)
    {
        var document = new HtmlDocument { OptionMaxNestedChildNodes = MaxNesting };
        try
        {
            document.LoadHtml(html);
        }
        catch (Exception ex) when (ex.Message.Contains("nested", StringComparison.OrdinalIgnoreCase))
        {
            // HtmlAgilityPack refuses absurd nesting (a broken or hostile page) with a plain Exception.
            throw new HtmlProfileException($"{origin} nests tags more than {MaxNesting} deep: not a page the '{profile.Name}' profile can read");
        }
        var root = document.DocumentNode;
        if (root.SelectSingleNode(profile.Layout) is null)
            throw new HtmlProfileException($"{origin} is not a page of the '{profile.Name}' layout (nothing matches {profile.Layout})");

        var skipped = new Dictionary<string, long>();
        void Skip(string kind) => skipped[kind] = skipped.GetValueOrDefault(kind) + 1;

        var forumName = profile.ForumName ?? (profile.Forum is { } f ? Read(root, f) : null)
            ?? throw new HtmlProfileException($"{origin}: the '{profile.Name}' profile finds no forum name on the page");
        var forum = new Forum(profile.Source, forumName);

        var postNode = root.SelectSingleNode(profile.Post.Node)
            ?? throw new HtmlProfileException($"{origin}: no post found ({profile.Post.Node})");
        var postId = Read(postNode, profile.Post.Id) ?? throw new HtmlProfileException($"{origin}: the post has no id");
        var postTime = Time(Read(postNode, profile.Post.Time));
        var postScore = ReadScore(postNode, profile.Post.Score);
        if (postTime is null)
            Skip("post_missing_time");
        if (postScore is null)
            Skip("post_hidden_score");

        var comments = new List<Comment>();
        string? accepted = null;
        var hidden = 0;
        foreach (var node in root.SelectNodes(profile.Comments.Node) ?? Enumerable.Empty<HtmlNode>())
        {
            var id = Read(node, profile.Comments.Id);
            if (id is null)
            {
                Skip("missing_id");
                continue;
            }
            // A hidden score ("[score hidden]" in any language, or no score element) keeps the comment: its text and
            // place in the thread are real data; the score is stored as unknown until a later read shows it.
            var score = ReadScore(node, profile.Comments.Score);
            var time = Time(Read(node, profile.Comments.Time));
            if (score is null)
                hidden++;
            if (time is null)
            {
                Skip("missing_time");
                continue;
            }
            var parent = profile.Comments.Parent is { } p ? Read(node, p) ?? postId : postId;
            if (profile.Comments.Accepted is { } isAccepted && node.SelectSingleNode(isAccepted) is not null)
                accepted = id;
            var body = BodyOf(node, profile.Comments.Body);
            comments.Add(new Comment(id, postId, parent, -1, body, (profile.Comments.Author is { } author ? Read(node, author) : null) ?? DeletedContent.Deleted,
                score ?? 0, time.Value, null, null, false, false) { ScoreHidden = score is null });
        }

        var post = new Post(postId, profile.Post.Title is { } t ? Read(postNode, t) ?? "" : "", BodyOf(postNode, profile.Post.Body),
            profile.Post.Author is { } a ? Read(postNode, a) ?? DeletedContent.Deleted : DeletedContent.Deleted,
            postScore ?? 0, null, postTime ?? observed, null, false, true, null, null, comments.Count, accepted);
        var byId = comments.ToDictionary(c => c.Id);
        var withDepth = comments.Select(c => c with { Depth = Depth(c, postId, byId), IsSubmitter = c.Author == post.Author && c.Author != DeletedContent.Deleted }).ToList();
        var stubs = profile.MoreStubs is { } more ? root.SelectNodes(more)?.Count ?? 0 : 0;
        return new ParsedPage(new ForumThread(forum, post, withDepth, observed), skipped, stubs, hidden);
    }

    /// <summary>
    /// A score field: with a pattern, the pattern's number; otherwise the number a score attribute holds (title,
    /// data-score, data-value, data-count: these carry the exact count on most forums), else the leading number of the
    /// element's text in whatever language. Null when the page shows none.
    /// </summary>
    internal static int? ReadScore(HtmlNode context, Field field)
    {
        var isAttribute = field.XPath.StartsWith('@') || field.XPath.Contains("/@", StringComparison.Ordinal);
        if (field.Pattern is not null || isAttribute)
            return ScoreText.Parse(Read(context, field));
        if (context.SelectSingleNode(field.XPath) is not { } node)
            return null;
        foreach (var attribute in ScoreAttributes)
        {
            if (ScoreText.Parse(node.GetAttributeValue(attribute, null!)) is { } exact)
                return exact;
        }
        return ScoreText.Parse(HtmlEntity.DeEntitize(node.InnerText).Trim());
    }

    private static readonly string[] ScoreAttributes = ["title", "data-score", "data-value", "data-count"];

    /// <summary>A field's text: an attribute when the XPath ends in /@name, else the node's text; then the pattern.</summary>
    internal static string? Read(HtmlNode context, Field field)
    {
        var xpath = field.XPath;
        string? value;
        var at = xpath.LastIndexOf("/@", StringComparison.Ordinal);
        if (xpath.StartsWith('@') || at >= 0)
        {
            var (path, attribute) = xpath.StartsWith('@') ? (".", xpath[1..]) : (xpath[..at], xpath[(at + 2)..]);
            value = context.SelectSingleNode(path)?.GetAttributeValue(attribute, null!);
        }
        else
        {
            value = context.SelectSingleNode(xpath) is { } node ? HtmlEntity.DeEntitize(node.InnerText).Trim() : null;
        }
        if (value is null || field.Pattern is null)
            return value is null ? null : HtmlEntity.DeEntitize(value);
        var match = Regex.Match(value, field.Pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string BodyOf(HtmlNode node, Field field) =>
        node.SelectSingleNode(field.XPath) is { } body ? HtmlText.ToText(body) : "";

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time : null;

    private static int Depth(Comment comment, string postId, Dictionary<string, Comment> byId)
    {
        var depth = 0;
        for (var parent = comment.ParentId; parent != postId; depth++)
        {
            if (!byId.TryGetValue(parent, out var up) || depth > 10_000)
                return -1;
            parent = up.ParentId;
        }
        return depth;
    }
}
