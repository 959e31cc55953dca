using ForumPrefs.Sources.Html;
using ForumPrefs.Tests.Support;
using System.Text;
using System.Xml.Linq;
using Xunit;

namespace ForumPrefs.Tests.Html;

/// <summary>
/// The single pass over plain HTML must give exactly the tree walk's text wherever it reads a body, and decline the rest:
/// compared on every body of the three real Posts.xml files and on random snippets, tidy and broken.
/// </summary>
public class SimpleHtmlTextTests
{
    [SkippableTheory]
    [InlineData("stackexchange_dump/WafflesonFire_stackdump/beer.Posts.xml")]
    [InlineData("stackexchange_dump/stat4decision_python-avr2017/Posts.xml")]
    [InlineData("stackexchange_dump/wenhaozheng-nju_2015challenge/Posts.xml")]
    public void Real_bodies_read_in_one_pass_give_the_tree_walks_text(string fixture)
    {
        var bodies = XDocument.Load(Fixtures.File(fixture)).Root!.Elements("row")
            .Select(r => (string?)r.Attribute("Body")).OfType<string>().ToList();
        var read = 0;
        foreach (var body in bodies)
        {
            if (!TrySimple(body, out var simple))
                continue;
            read++;
            Assert.Equal(HtmlText.ToTextByTree(body), simple);
        }
        // Stack Exchange's bodies are the plain kind: nearly all of them take the single pass.
        Assert.True(read >= bodies.Count * 0.95, $"{read} of {bodies.Count} bodies read in one pass");
    }

    [Fact]
    public void Random_snippets_give_the_tree_walks_text_or_are_declined()
    {
        var random = new Random(17);
        var read = 0;
        const int snippets = 40_000;
        for (var i = 0; i < snippets; i++)
        {
            var html = Snippet(random, tidy: i % 2 == 0);
            if (!TrySimple(html, out var simple))
                continue;
            read++;
            var tree = HtmlText.ToTextByTree(html);
            Assert.True(tree == simple, $"snippet {i}: {Escape(html)}\ntree:   {Escape(tree)}\nsingle: {Escape(simple)}");
        }
        Assert.True(read > snippets / 4, $"only {read} of {snippets} snippets read in one pass");
    }

    [Theory]
    [InlineData("<p>a < b</p>")] // a stray '<'
    [InlineData("<p>open")] // never closed
    [InlineData("<p><b>crossed</p></b>")]
    [InlineData("<P>upper case</P>")]
    [InlineData("<p><script>x()</script></p>")]
    [InlineData("<p><font color=red>unquoted</font></p>")]
    [InlineData("<a href='x' href='y'>twice</a>")]
    [InlineData("<ul><li>a<li>b</li></li></ul>")] // the tree would close the first item on its own
    [InlineData("<p/>")]
    public void Html_outside_the_plain_kind_is_declined_and_read_by_the_tree(string html)
    {
        Assert.False(TrySimple(html, out _));
        Assert.Equal(HtmlText.ToTextByTree(html), HtmlText.ToText(html));
    }

    private static bool TrySimple(string html, out string text)
    {
        var ok = SimpleHtmlText.TryToText(html, new StringBuilder(), out var result);
        text = result ?? "";
        return ok;
    }

    private static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");

    private static readonly string[] Blocks = ["p", "div", "h1", "h3", "ul", "ol", "li", "blockquote", "pre", "table", "tr", "td", "th", "dl", "dd"];
    private static readonly string[] Inlines = ["code", "em", "strong", "b", "i", "span", "sup", "kbd", "del", "s", "a", "a", "a"];
    private static readonly string[] Texts =
    [
        "word", "two words", "  spaced\t out  ", "\r\n", "\n\n\n", " ", "x\u00a0y", "em\u2003space", "&amp;", "&amp;amp;", "&lt;b&gt;",
        "&nbsp;", "&#39;quoted&#39;", "&bogus;", "a & b", "&", "5 > 3", "```", " - dash", "1. one", "> gt", "\ttab", "é ü 中文", "&#x1F600;",
        "end.", "\r", "line\r\nbreak",
    ];
    private static readonly string[] Hrefs = ["https://example.org/a?b=1&amp;c=2", "#anchor", "javascript:void(0)", "", " https://x.example ", "&amp;amp;", "http://a.b/'q'"];
    private static readonly string[] Attributes =
        [" class=\"s-table\"", " title='a \"quoted\" title'", " data-x=\"&amp;\"  ", "\n id=\"n1\"", " dir=\"auto\" lang=\"en\"", " class=x", " hidden"];
    private static readonly string[] Broken =
    [
        "<", "<p", "</p>", "</b>", "<B>", "<p >", "< p>", "<!-- c -->", "<!---->", "<!-->", "<!-- a -- b -->", "<br>", "<br/>", "<br />",
        "</br>", "<hr>", "<hr/>", "<img src=\"i.png\" alt=\"an &amp; alt\">", "<img alt='x'>", "<img src=''>", "<img src=\"a\"/>",
        "<input disabled>", "<font color=red>", "<x-y>", "<p/>", "<li>", "<p>", "<a>", "<script>x<y</script>", "<style>p{}</style>",
        "<!DOCTYPE html>", "<?xml?>", "<b a=\"1\" a=\"2\">", "<a href=\"1\" href=\"2\">", "&amp", "\0",
    ];

    /// <summary>A random fragment: nested known elements with text (tidy), with broken pieces mixed in otherwise.</summary>
    private static string Snippet(Random random, bool tidy)
    {
        var html = new StringBuilder();
        Element(random, html, tidy, depth: 0);
        return html.ToString();
    }

    private static void Element(Random random, StringBuilder html, bool tidy, int depth)
    {
        var children = random.Next(depth == 0 ? 1 : 0, 5);
        for (var c = 0; c < children; c++)
        {
            var roll = random.Next(10);
            if (!tidy && roll == 0)
            {
                html.Append(Broken[random.Next(Broken.Length)]);
                continue;
            }
            if (roll < 4 || depth > 5)
            {
                html.Append(Texts[random.Next(Texts.Length)]);
                continue;
            }
            if (roll == 4)
            {
                html.Append(random.Next(4) switch
                {
                    0 => "<br>",
                    1 => "<hr/>",
                    2 => $"<img src=\"{Hrefs[random.Next(Hrefs.Length)]}\" alt=\"{Texts[random.Next(Texts.Length)]}\">",
                    _ => "<!-- language: lang-py -->",
                });
                continue;
            }
            var name = roll < 7 ? Blocks[random.Next(Blocks.Length)] : Inlines[random.Next(Inlines.Length)];
            html.Append('<').Append(name);
            if (name == "a" && random.Next(5) > 0)
            {
                var href = Hrefs[random.Next(Hrefs.Length)];
                html.Append(random.Next(2) == 0 ? $" href=\"{href}\"" : $" rel=\"nofollow\" href='{href.Replace("'", "")}'");
            }
            if (random.Next(4) == 0)
                html.Append(Attributes[random.Next(Attributes.Length)]);
            html.Append('>');
            Element(random, html, tidy, depth + 1);
            html.Append("</").Append(name).Append('>');
        }
    }
}
