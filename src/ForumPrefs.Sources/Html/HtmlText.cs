using HtmlAgilityPack;
using System.Text;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// Turns post HTML into readable text: paragraphs separated by blank lines, code blocks fenced with ```, list items
/// as "- " or "1. ", block quotes as "> ", line breaks kept, entities decoded, and links and images in Markdown form
/// (<c>[text](url)</c>, <c>![alt](src)</c>) so an answer that is only a link or a picture keeps what readers saw.
/// </summary>
public static class HtmlText
{
    public static string ToText(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        return ToText(document.DocumentNode);
    }

    // Deeper nesting (only hostile or broken pages have it) is read as plain text instead of recursing further.
    private const int MaxDepth = 200;

    public static string ToText(HtmlNode node)
    {
        var text = new StringBuilder();
        Append(node, text, listIndex: null, depth: 0);
        return Tidy(text.ToString());
    }

    private static void Append(HtmlNode node, StringBuilder text, int? listIndex, int depth)
    {
        if (depth > MaxDepth)
        {
            text.Append(Collapse(HtmlEntity.DeEntitize(node.InnerText)));
            return;
        }
        switch (node.NodeType)
        {
            case HtmlNodeType.Text:
                text.Append(Collapse(HtmlEntity.DeEntitize(node.InnerText)));
                return;
            case HtmlNodeType.Comment:
                return;
        }
        switch (node.Name)
        {
            case "script" or "style":
                return;
            case "pre":
                text.Append("\n\n```\n").Append(HtmlEntity.DeEntitize(node.InnerText).TrimEnd()).Append("\n```\n\n");
                return;
            case "br":
                text.Append('\n');
                return;
            case "a":
                AppendLink(node, text, depth);
                return;
            case "img":
                if (node.GetAttributeValue("src", "") is { Length: > 0 } src)
                    text.Append("![").Append(Collapse(HtmlEntity.DeEntitize(node.GetAttributeValue("alt", ""))).Trim())
                        .Append("](").Append(HtmlEntity.DeEntitize(src).Trim()).Append(')');
                return;
            case "li":
                text.Append('\n').Append(listIndex is { } n ? $"{n}. " : "- ");
                AppendChildren(node, text, depth);
                return;
            case "ol":
                text.Append('\n');
                var index = 1;
                foreach (var child in node.ChildNodes)
                    Append(child, text, child.Name == "li" ? index++ : null, depth + 1);
                text.Append('\n');
                return;
            case "blockquote":
                var quoted = new StringBuilder();
                AppendChildren(node, quoted, depth);
                var inner = Tidy(quoted.ToString());
                text.Append("\n\n").Append(string.Join('\n', inner.Split('\n').Select(l => "> " + l))).Append("\n\n");
                return;
            case "p" or "div" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "ul" or "table" or "tr" or "hr":
                text.Append("\n\n");
                AppendChildren(node, text, depth);
                text.Append("\n\n");
                return;
            default:
                AppendChildren(node, text, depth);
                return;
        }
    }

    private static void AppendLink(HtmlNode node, StringBuilder text, int depth)
    {
        var href = HtmlEntity.DeEntitize(node.GetAttributeValue("href", "")).Trim();
        var inner = new StringBuilder();
        AppendChildren(node, inner, depth);
        var label = inner.ToString().Trim();
        // In-page anchors and script links are no destinations: their text alone is what a reader has.
        if (href.Length == 0 || href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            text.Append(label);
            return;
        }
        text.Append('[').Append(label.Length > 0 ? label : href).Append("](").Append(href).Append(')');
    }

    private static void AppendChildren(HtmlNode node, StringBuilder text, int depth)
    {
        foreach (var child in node.ChildNodes)
            Append(child, text, null, depth + 1);
    }

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space)
                    builder.Append(' ');
                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }
        return builder.ToString();
    }

    /// <summary>Trims each line (outside code blocks the indentation is noise) and keeps at most one blank line.</summary>
    private static string Tidy(string text)
    {
        var lines = new List<string>();
        var inCode = false;
        foreach (var raw in text.Replace("\r", "").Split('\n'))
        {
            var line = inCode ? raw.TrimEnd() : raw.Trim();
            if (line == "```")
                inCode = !inCode;
            if (line.Length == 0 && (lines.Count == 0 || lines[^1].Length == 0) && !inCode)
                continue;
            lines.Add(line);
        }
        return string.Join('\n', lines).Trim();
    }
}
