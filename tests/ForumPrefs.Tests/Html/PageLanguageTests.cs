using ForumPrefs.Sources.Html;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text.RegularExpressions;

namespace ForumPrefs.Tests.Html;

/// <summary>
/// The real saved pages as they render in other languages and on fresh threads. The localized pages are derived from
/// the recorded ones by the changes a locale makes (score words, hidden-score labels, UI words, the host), so every
/// expected value comes from the original page.
/// </summary>
public sealed class PageLanguageTests : IDisposable
{
    private const string RedditPage = "reddit_html/ris58h_blog-skipper/reddit.html";
    private const string StackPage = "stackexchange_html/gleitz_howdoi/httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html";
    private static readonly DateTimeOffset Observed = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData("bodov", "bod")]      // Slovak
    [InlineData("Punkte", "Punkt")]   // German
    [InlineData("pontos", "ponto")]   // Portuguese
    [InlineData("指標", "指標")]       // Chinese (the zh-TW classic reddit word)
    public void Classic_reddit_in_another_language_keeps_every_comment_and_score(string points, string point)
    {
        var html = File.ReadAllText(Fixtures.File(RedditPage));
        var original = HtmlThreadParser.Parse(html, HtmlProfile.Load("old-reddit"), Observed, "reddit.html");
        // The locale's word after the number, and no title attribute: only the element's text says the score.
        var localized = Regex.Replace(html, "(<span class=\"score [^\"]*\") title=\"-?\\d+\">(-?\\d+) points?</span>",
            m => $"{m.Groups[1].Value}>{m.Groups[2].Value} {(m.Groups[2].Value == "1" ? point : points)}</span>");
        Assert.NotEqual(html, localized);
        Assert.DoesNotContain(" points</span>", localized);

        var page = HtmlThreadParser.Parse(localized, HtmlProfile.Load("old-reddit"), Observed, "localized.html");

        Assert.True(original.Thread.Comments.Count > 100);
        Assert.Equal(Describe(original), Describe(page));
        Assert.Equal(0, page.HiddenScores);
    }

    [SkippableFact]
    public void Hidden_scores_keep_the_comment_and_a_later_read_of_the_page_fills_them()
    {
        var html = File.ReadAllText(Fixtures.File(RedditPage));
        var original = HtmlThreadParser.Parse(html, HtmlProfile.Load("old-reddit"), Observed, "reddit.html");
        // A fresh thread in Slovak: the first ten comments show "[skóre skryté]" where the score would be.
        var count = 0;
        var fresh = Regex.Replace(html, "<span class=\"score dislikes\".*?<span class=\"score likes\"[^>]*>[^<]*</span>",
            m => count++ < 10 ? "<span class=\"score-hidden\">[skóre skryté]</span>" : m.Value);
        Assert.Equal(10, Math.Min(count, 10));

        var page = HtmlThreadParser.Parse(fresh, HtmlProfile.Load("old-reddit"), Observed.AddHours(-40), "fresh.html");

        Assert.Equal(10, page.HiddenScores);
        Assert.Equal(original.Thread.Comments.Select(c => c.Id).Order(), page.Thread.Comments.Select(c => c.Id).Order());
        Assert.Equal(10, page.Thread.Comments.Count(c => c.ScoreHidden && c.Score == 0));

        using var store = ForumStore.Open(_folder.File("pages.db"));
        store.WriteThreads([page.Thread]);
        Assert.Equal(10, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE score_hidden = 1"));
        store.WriteThreads([original.Thread]);
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE score_hidden = 1"));
        Assert.Equal(original.Thread.Comments.Sum(c => (long)c.Score), Sql.Scalar(store, "SELECT sum(score) FROM comments"));
    }

    [SkippableTheory]
    [InlineData("pt.stackoverflow.com", "pt", "respondida", "perguntada")]
    [InlineData("ru.stackoverflow.com", "ru", "ответ дан", "задан")]
    [InlineData("es.stackoverflow.com", "es", "respondida", "formulada")]
    [InlineData("ja.stackoverflow.com", "ja", "回答日時", "質問日時")]
    public void Stack_Exchange_pages_in_other_languages_read_alike(string host, string lang, string answered, string asked)
    {
        var html = File.ReadAllText(Fixtures.File(StackPage));
        var original = HtmlThreadParser.Parse(html, HtmlProfile.Load("stackexchange"), Observed, "so.html");
        var localized = html.Replace("https://stackoverflow.com/", $"https://{host}/").Replace("lang=\"en\"", $"lang=\"{lang}\"")
            .Replace(">answered<", $">{answered}<").Replace(">asked<", $">{asked}<");
        // Without the data-value attribute the vote count is read from the element's text.
        localized = Regex.Replace(localized, " data-value=\"(-?\\d+)\">", ">");

        var page = HtmlThreadParser.Parse(localized, HtmlProfile.Load("stackexchange"), Observed, "localized.html");

        Assert.Equal(host, page.Thread.Forum.Name);
        Assert.Equal(Describe(original), Describe(page));
        Assert.Equal(original.Thread.Post.Score, page.Thread.Post.Score);
        Assert.Equal(original.Thread.Post.AcceptedAnswerId, page.Thread.Post.AcceptedAnswerId);
    }

    private static string[] Describe(ParsedPage page) => page.Thread.Comments
        .Select(c => $"{c.Id}:{c.ParentId}:{c.Depth}:{c.Score}:{c.Author}:{c.Created:O}").Order().ToArray();
}
