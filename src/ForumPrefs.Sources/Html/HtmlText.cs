using HtmlAgilityPack;
using System.Buffers;
using System.Text;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// Turns post HTML into readable text: paragraphs separated by blank lines, code blocks fenced with ```, list items
/// as "- " or "1. ", block quotes as "> ", line breaks kept, entities decoded, and links and images in Markdown form
/// (<c>[text](url)</c>, <c>![alt](src)</c>) so an answer that is only a link or a picture keeps what readers saw.
/// </summary>
/// <remarks>
/// Stack Exchange dumps put every body through here, so the walk allocates little beyond HtmlAgilityPack's own tree:
/// a text node's text is read without building its InnerText, entities are decoded only where a '&amp;' is, whitespace
/// collapses straight into one builder per thread, and lines are tidied on spans into the one string returned.
/// </remarks>
public static class HtmlText
{
    public static string ToText(string html)
    {
        var text = TakeBuilder();
        try
        {
            if (SimpleHtmlText.TryToText(html, text, out var simple))
                return simple;
        }
        finally
        {
            GiveBack(text);
        }
        return ToTextByTree(html);
    }

    /// <summary>The text through HtmlAgilityPack's tree, which reads any HTML (<see cref="SimpleHtmlText"/> reads the plain kind).</summary>
    internal static string ToTextByTree(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        return ToText(document.DocumentNode);
    }

    // Deeper nesting (only hostile or broken pages have it) is read as plain text instead of recursing further.
    private const int MaxDepth = 200;

    private const int MaxPooledChars = 1 << 20;

    [ThreadStatic]
    private static StringBuilder? _spare;

    public static string ToText(HtmlNode node)
    {
        var text = TakeBuilder();
        try
        {
            Append(node, text, listIndex: null, depth: 0);
            return Tidy(text);
        }
        finally
        {
            GiveBack(text);
        }
    }

    private static StringBuilder TakeBuilder()
    {
        var text = _spare ?? new StringBuilder(1024);
        _spare = null; // taken while in use
        return text;
    }

    private static void GiveBack(StringBuilder text)
    {
        text.Clear();
        if (text.Capacity <= MaxPooledChars) // a huge page's builder is not kept for the rest of the run
            _spare = text;
    }

    private static void Append(HtmlNode node, StringBuilder text, int? listIndex, int depth)
    {
        if (depth > MaxDepth)
        {
            AppendCollapsed(text, HtmlEntity.DeEntitize(node.InnerText));
            return;
        }
        switch (node.NodeType)
        {
            case HtmlNodeType.Text:
                // InnerText of a text node is its Text (built through a StringBuilder); DeEntitize changes only '&…;'.
                var raw = node is HtmlTextNode textNode ? textNode.Text : node.InnerText;
                AppendCollapsed(text, raw.Contains('&') ? HtmlEntity.DeEntitize(raw) : raw);
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
                AppendImage(text, node.GetAttributeValue("src", ""), node.GetAttributeValue("alt", ""));
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
                AppendQuote(text, Tidy(quoted));
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
        AppendLink(text, href, inner.ToString().Trim());
    }

    internal static void AppendLink(StringBuilder text, string href, string label)
    {
        // In-page anchors and script links are no destinations: their text alone is what a reader has.
        if (href.Length == 0 || href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            text.Append(label);
            return;
        }
        text.Append('[').Append(label.Length > 0 ? label : href).Append("](").Append(href).Append(')');
    }

    /// <summary>An image as "![alt](src)", from its attributes as written; one without a source is left out.</summary>
    internal static void AppendImage(StringBuilder text, string src, string alt)
    {
        if (src.Length == 0)
            return;
        var altText = new StringBuilder();
        AppendCollapsed(altText, HtmlEntity.DeEntitize(alt));
        text.Append("![").Append(altText.ToString().Trim()).Append("](").Append(HtmlEntity.DeEntitize(src).Trim()).Append(')');
    }

    internal static void AppendQuote(StringBuilder text, string quoted) =>
        text.Append("\n\n").Append(string.Join('\n', quoted.Split('\n').Select(l => "> " + l))).Append("\n\n");

    private static void AppendChildren(HtmlNode node, StringBuilder text, int depth)
    {
        foreach (var child in node.ChildNodes)
            Append(child, text, null, depth + 1);
    }

    /// <summary>Appends <paramref name="text"/> with each run of whitespace as one space.</summary>
    internal static void AppendCollapsed(StringBuilder builder, ReadOnlySpan<char> text)
    {
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
    }

    /// <summary>
    /// Trims each line (outside code blocks the indentation is noise), drops carriage returns, keeps at most one blank
    /// line and trims the whole.
    /// </summary>
    internal static string Tidy(StringBuilder builder)
    {
        var length = builder.Length;
        var pooled = length <= MaxPooledChars; // a huge page's buffers are not kept in the pool for the rest of the run
        var input = pooled ? ArrayPool<char>.Shared.Rent(length) : new char[length];
        var output = pooled ? ArrayPool<char>.Shared.Rent(length) : new char[length]; // lines only shrink, separators stay one for one
        try
        {
            builder.CopyTo(0, input, length);
            var written = 0;
            var inCode = false;
            var any = false;
            var lastEmpty = false;
            var rest = input.AsSpan(0, length);
            while (true)
            {
                var end = rest.IndexOf('\n');
                var raw = end < 0 ? rest : rest[..end];
                if (raw.Contains('\r'))
                    raw = WithoutCarriageReturns(raw);
                var line = inCode ? raw.TrimEnd() : raw.Trim();
                if (line.SequenceEqual("```"))
                    inCode = !inCode;
                if (!(line.Length == 0 && (!any || lastEmpty) && !inCode))
                {
                    if (any)
                        output[written++] = '\n';
                    line.CopyTo(output.AsSpan(written));
                    written += line.Length;
                    any = true;
                    lastEmpty = line.Length == 0;
                }
                if (end < 0)
                    break;
                rest = rest[(end + 1)..];
            }
            return new string(output.AsSpan(0, written).Trim());
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<char>.Shared.Return(input);
                ArrayPool<char>.Shared.Return(output);
            }
        }
    }

    /// <summary>The line with its carriage returns removed, in place (it only shrinks).</summary>
    private static Span<char> WithoutCarriageReturns(Span<char> line)
    {
        var kept = 0;
        foreach (var c in line)
        {
            if (c != '\r')
                line[kept++] = c;
        }
        return line[..kept];
    }
}
