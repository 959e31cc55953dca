using HtmlAgilityPack;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// <see cref="HtmlText"/>'s walk in one pass over the characters, without building HtmlAgilityPack's node tree, for the
/// plain, well-formed HTML that dump bodies are (Stack Exchange renders them from Markdown): known tags, lower case,
/// properly nested and closed, attributes in quotes. Anything else — an unknown or upper-case tag, a stray '&lt;', a
/// mismatched or missing end tag, a script — is declined, and the caller takes the tree walk, so the text is always the
/// tree walk's (a test compares the two on real bodies and on random snippets).
/// </summary>
/// <remarks>
/// The tree cost 8 KB of allocations a body and most of a Stack Exchange ingest's time. Entities are still decoded by
/// HtmlAgilityPack's <see cref="HtmlEntity.DeEntitize"/>, as the walk does, and lines are tidied by the same code.
/// </remarks>
internal static class SimpleHtmlText
{
    // Far inside the tree walk's own depth limit (200), where it would change how it reads.
    private const int MaxDepth = 100;

    private enum Kind : byte { Inline, Block, ListItem, OrderedList, Link, Quote, Pre, Void }

    private struct Open
    {
        public string Name;
        public Kind Kind;
        public int Start; // where this element's text starts in the builder (links, quotes, code blocks)
        public int NextIndex; // an ordered list's next item number
        public string? Href;
    }

    [ThreadStatic]
    private static Open[]? _stack;

    /// <summary>The text the tree walk gives, or false where this HTML is not one the single pass reads.</summary>
    public static bool TryToText(string html, StringBuilder text, [NotNullWhen(true)] out string? result)
    {
        result = null;
        var stack = _stack ??= new Open[MaxDepth + 1];
        var depth = 0;
        var inPre = 0; // open <pre> elements: their text is kept as written and decoded whole at the end
        var position = 0;
        while (position < html.Length)
        {
            var lt = html.IndexOf('<', position);
            var textEnd = lt < 0 ? html.Length : lt;
            if (textEnd > position)
            {
                var raw = html.AsSpan(position, textEnd - position);
                if (inPre > 0)
                    text.Append(raw);
                else if (raw.Contains('&'))
                    HtmlText.AppendCollapsed(text, HtmlEntity.DeEntitize(raw.ToString()));
                else
                    HtmlText.AppendCollapsed(text, raw);
            }
            if (lt < 0)
                break;
            if (lt + 1 >= html.Length)
                return false;
            var next = html[lt + 1];
            if (next == '!')
            {
                // A comment, as Stack Overflow's "<!-- language: ... -->" hints are; the walk skips them.
                if (inPre > 0 || !html.AsSpan(lt).StartsWith("<!--") || lt + 4 >= html.Length || html[lt + 4] is '>' or '-')
                    return false;
                var close = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                if (close < 0)
                    return false;
                position = close + 3;
                continue;
            }
            if (next == '/')
            {
                var nameEnd = NameEnd(html, lt + 2);
                if (nameEnd == lt + 2 || nameEnd >= html.Length || html[nameEnd] != '>' || depth == 0
                    || !html.AsSpan(lt + 2, nameEnd - lt - 2).SequenceEqual(stack[depth - 1].Name))
                    return false;
                ref var closing = ref stack[--depth];
                if (closing.Kind == Kind.Pre)
                    inPre--;
                if (inPre == 0)
                    Close(ref closing, text);
                position = nameEnd + 1;
                continue;
            }
            if (!ReadStartTag(html, lt, out var tag, out var kind, out var href, out var src, out var alt, out position))
                return false;
            if (!NestsAsWritten(tag, stack, depth))
                return false;
            if (kind == Kind.Void)
            {
                if (inPre == 0)
                    AppendVoid(tag, src, alt, text);
                continue;
            }
            if (depth == MaxDepth)
                return false;
            ref var open = ref stack[depth++];
            open = new Open { Name = tag, Kind = kind, Start = text.Length, NextIndex = 1, Href = href };
            if (inPre > 0)
            {
                if (kind == Kind.Pre)
                    inPre++;
                continue;
            }
            switch (kind)
            {
                case Kind.Pre:
                    inPre++;
                    break;
                case Kind.Block:
                    text.Append("\n\n");
                    break;
                case Kind.OrderedList:
                    text.Append('\n');
                    break;
                case Kind.ListItem:
                    // Numbered only as a direct child of <ol>, counting its <li> children, as the walk numbers them.
                    if (depth >= 2 && stack[depth - 2].Kind == Kind.OrderedList)
                        text.Append('\n').Append(stack[depth - 2].NextIndex++).Append(". ");
                    else
                        text.Append("\n- ");
                    break;
            }
        }
        if (depth > 0)
            return false;
        result = HtmlText.Tidy(text);
        return true;
    }

    private static void Close(ref Open element, StringBuilder text)
    {
        switch (element.Kind)
        {
            case Kind.Block:
                text.Append("\n\n");
                return;
            case Kind.OrderedList:
                text.Append('\n');
                return;
            case Kind.Pre:
                var code = HtmlEntity.DeEntitize(text.ToString(element.Start, text.Length - element.Start)).TrimEnd();
                text.Length = element.Start;
                text.Append("\n\n```\n").Append(code).Append("\n```\n\n");
                return;
            case Kind.Link:
                var label = text.ToString(element.Start, text.Length - element.Start).Trim();
                text.Length = element.Start;
                HtmlText.AppendLink(text, HtmlEntity.DeEntitize(element.Href ?? "").Trim(), label);
                return;
            case Kind.Quote:
                var quoted = new StringBuilder().Append(text, element.Start, text.Length - element.Start);
                text.Length = element.Start;
                HtmlText.AppendQuote(text, HtmlText.Tidy(quoted));
                return;
        }
    }

    private static void AppendVoid(string tag, string? src, string? alt, StringBuilder text)
    {
        switch (tag)
        {
            case "br":
                text.Append('\n');
                return;
            case "hr":
                text.Append("\n\n\n\n");
                return;
            case "img":
                HtmlText.AppendImage(text, src ?? "", alt ?? "");
                return;
        }
    }

    /// <summary>
    /// False where HtmlAgilityPack ends the parent on its own when this tag opens (a paragraph at a list or a block, an
    /// item at an item, a link at a link, as HTML does), so the tree would not be what the tags say. The pairs are those
    /// HtmlAgilityPack 1.13 ends among the tags read here (found by parsing each pair); only the direct parent is ended.
    /// </summary>
    private static bool NestsAsWritten(string tag, Open[] stack, int depth) => depth == 0 || (stack[depth - 1].Name, tag) switch
    {
        ("p", "p" or "div" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "ul" or "ol" or "li" or "table" or "blockquote"
            or "pre" or "dl" or "hr") => false,
        ("h1" or "h2" or "h3" or "h4" or "h5" or "h6", "h1" or "h2" or "h3" or "h4" or "h5") => false,
        ("table", "table") or ("li", "li") or ("a", "a") or ("tbody", "tbody") or ("thead", "tbody") => false,
        ("tr", "tr" or "thead" or "tbody") => false,
        ("td" or "th", "tr" or "td" or "th" or "tbody") => false,
        ("dt" or "dd", "dt" or "dd") => false,
        _ => true,
    };

    /// <summary>
    /// Reads "&lt;name attr="value" …&gt;" (or "/&gt;" on a void element). Only the tags below are read; an attribute
    /// without quotes or without a value, an upper-case name or a repeated href, src or alt declines.
    /// </summary>
    private static bool ReadStartTag(string html, int lt, out string tag, out Kind kind, out string? href, out string? src,
        out string? alt, out int end)
    {
        href = src = alt = null;
        end = 0;
        var nameEnd = NameEnd(html, lt + 1);
        kind = Kind.Inline;
        tag = "";
        if (nameEnd == lt + 1 || nameEnd >= html.Length || !TagKind(html.AsSpan(lt + 1, nameEnd - lt - 1), out tag, out kind))
            return false;
        var i = nameEnd;
        while (true)
        {
            var spaced = false;
            while (i < html.Length && html[i] is ' ' or '\t' or '\n' or '\r')
            {
                i++;
                spaced = true;
            }
            if (i >= html.Length)
                return false;
            if (html[i] == '>')
            {
                end = i + 1;
                return true;
            }
            if (html[i] == '/')
            {
                end = i + 2;
                return kind == Kind.Void && i + 1 < html.Length && html[i + 1] == '>';
            }
            if (!spaced)
                return false;
            var attributeEnd = AttributeNameEnd(html, i);
            if (attributeEnd == i || attributeEnd + 1 >= html.Length || html[attributeEnd] != '=' || html[attributeEnd + 1] is not ('"' or '\''))
                return false;
            var quote = html[attributeEnd + 1];
            var valueEnd = html.IndexOf(quote, attributeEnd + 2);
            if (valueEnd < 0)
                return false;
            var value = html.AsSpan(attributeEnd + 2, valueEnd - attributeEnd - 2);
            if (value.ContainsAny('<', '>'))
                return false;
            var attribute = html.AsSpan(i, attributeEnd - i);
            if (attribute.SequenceEqual("href") && !Keep(ref href, value)
                || attribute.SequenceEqual("src") && !Keep(ref src, value)
                || attribute.SequenceEqual("alt") && !Keep(ref alt, value))
                return false;
            i = valueEnd + 1;
        }
    }

    private static bool Keep(ref string? slot, ReadOnlySpan<char> value)
    {
        if (slot is not null)
            return false;
        slot = value.ToString();
        return true;
    }

    private static int NameEnd(string html, int start)
    {
        var i = start;
        while (i < html.Length && (char.IsAsciiLetterLower(html[i]) || i > start && char.IsAsciiDigit(html[i])))
            i++;
        return i;
    }

    private static int AttributeNameEnd(string html, int start)
    {
        var i = start;
        while (i < html.Length && (char.IsAsciiLetterLower(html[i]) || i > start && (char.IsAsciiDigit(html[i]) || html[i] is '-' or '_')))
            i++;
        return i;
    }

    private static bool TagKind(ReadOnlySpan<char> name, out string tag, out Kind kind)
    {
        (tag, kind) = name switch
        {
            "p" => ("p", Kind.Block),
            "div" => ("div", Kind.Block),
            "h1" => ("h1", Kind.Block),
            "h2" => ("h2", Kind.Block),
            "h3" => ("h3", Kind.Block),
            "h4" => ("h4", Kind.Block),
            "h5" => ("h5", Kind.Block),
            "h6" => ("h6", Kind.Block),
            "ul" => ("ul", Kind.Block),
            "table" => ("table", Kind.Block),
            "tr" => ("tr", Kind.Block),
            "ol" => ("ol", Kind.OrderedList),
            "li" => ("li", Kind.ListItem),
            "a" => ("a", Kind.Link),
            "blockquote" => ("blockquote", Kind.Quote),
            "pre" => ("pre", Kind.Pre),
            "br" => ("br", Kind.Void),
            "hr" => ("hr", Kind.Void),
            "img" => ("img", Kind.Void),
            "code" => ("code", Kind.Inline),
            "em" => ("em", Kind.Inline),
            "strong" => ("strong", Kind.Inline),
            "b" => ("b", Kind.Inline),
            "i" => ("i", Kind.Inline),
            "u" => ("u", Kind.Inline),
            "s" => ("s", Kind.Inline),
            "strike" => ("strike", Kind.Inline),
            "del" => ("del", Kind.Inline),
            "ins" => ("ins", Kind.Inline),
            "sup" => ("sup", Kind.Inline),
            "sub" => ("sub", Kind.Inline),
            "kbd" => ("kbd", Kind.Inline),
            "span" => ("span", Kind.Inline),
            "td" => ("td", Kind.Inline),
            "th" => ("th", Kind.Inline),
            "thead" => ("thead", Kind.Inline),
            "tbody" => ("tbody", Kind.Inline),
            "dl" => ("dl", Kind.Inline),
            "dt" => ("dt", Kind.Inline),
            "dd" => ("dd", Kind.Inline),
            _ => ("", Kind.Inline),
        };
        return tag.Length > 0;
    }
}
