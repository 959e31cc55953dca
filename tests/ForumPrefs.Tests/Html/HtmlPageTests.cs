using ForumPrefs.Sources.Html;
using ForumPrefs.Tests.Support;
using System.Text.RegularExpressions;

namespace ForumPrefs.Tests.Html;

/// <summary>The real saved pages: every comment or answer once, with the score and author the page shows.</summary>
public sealed class HtmlPageTests
{
    private static readonly DateTimeOffset Observed = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public void Classic_reddit_comments_are_all_extracted_once_with_score_author_and_nesting()
    {
        var html = File.ReadAllText(Fixtures.File("reddit_html/ris58h_blog-skipper/reddit.html"));
        // Independent rule: each comment is a div with id thing_t1_<id>, data-type="comment" and its author as an
        // attribute; its own score is the first "score unvoted" span before the next comment starts. A comment whose
        // stretch has no score (deleted ones) shows none and must be skipped and counted.
        var starts = Regex.Matches(html, "<div class=\"[^\"]*\" id=\"thing_t1_(\\w+)\"[^>]*data-type=\"comment\"[^>]*data-author=\"([^\"]*)\"").ToList();
        var expected = new Dictionary<string, (string Author, int Score)>();
        var hidden = 0;
        for (var i = 0; i < starts.Count; i++)
        {
            var end = html.IndexOf("id=\"thing_t1_", starts[i].Index + starts[i].Length, StringComparison.Ordinal);
            var stretch = html[starts[i].Index..(end < 0 ? html.Length : end)];
            var score = Regex.Match(stretch, "<span class=\"score unvoted\" title=\"(-?\\d+)\"");
            if (score.Success)
                expected[starts[i].Groups[1].Value] = (starts[i].Groups[2].Value, int.Parse(score.Groups[1].Value));
            else
                hidden++;
        }

        var page = HtmlThreadParser.Parse(html, HtmlProfile.Load("old-reddit"), Observed, "reddit.html");

        Assert.True(expected.Count > 100);
        Assert.Equal(expected.Keys.Order(), page.Thread.Comments.Select(c => c.Id).Order());
        Assert.Equal(page.Thread.Comments.Count, page.Thread.Comments.Select(c => c.Id).Distinct().Count());
        foreach (var comment in page.Thread.Comments)
        {
            Assert.Equal(expected[comment.Id], (comment.Author, comment.Score));
            Assert.True(comment.Depth >= 0 || !expected.ContainsKey(comment.ParentId));
        }
        Assert.Equal(hidden, page.HiddenScores);
        Assert.Equal(Regex.Matches(html, "data-type=\"morechildren\"").Count, page.MoreStubs);
        Assert.Equal("aww", page.Thread.Forum.Name);
        Assert.Equal("8dyrb3", page.Thread.Post.Id);
        Assert.Contains(page.Thread.Comments, c => c.Depth > 0 && c.ParentId != page.Thread.Post.Id);
    }

    [SkippableTheory]
    [InlineData("httpsstackoverflowcomquestions1732438howdoirunallpythonunittestsinadirectoryanswertabvotes.html")]
    [InlineData("httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html")]
    public void Stack_Exchange_answers_are_all_extracted_with_votes_and_the_accepted_one_marked(string file)
    {
        var html = File.ReadAllText(Fixtures.File($"stackexchange_html/gleitz_howdoi/{file}"));
        var answerIds = Regex.Matches(html, "data-answerid=\"(\\d+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        var votes = Regex.Matches(html, "data-post-id=\"(\\d+)\"[^<]*>\\s*<button.*?itemprop=\"upvoteCount\" data-value=\"(-?\\d+)\"", RegexOptions.Singleline)
            .GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => int.Parse(g.First().Groups[2].Value));
        var accepted = Regex.Match(html, "class=\"answer accepted-answer\" data-answerid=\"(\\d+)\"");

        var page = HtmlThreadParser.Parse(html, HtmlProfile.Load("stackexchange"), Observed, file);

        Assert.Equal(answerIds.Order(), page.Thread.Comments.Select(c => c.Id).Order());
        Assert.All(page.Thread.Comments, c => Assert.Equal(votes[c.Id], c.Score));
        Assert.Equal(votes[page.Thread.Post.Id], page.Thread.Post.Score);
        Assert.Equal(accepted.Success ? accepted.Groups[1].Value : null, page.Thread.Post.AcceptedAnswerId);
        Assert.All(page.Thread.Comments, c => Assert.NotEqual(ForumPrefs.Core.DeletedContent.Deleted, c.Author));
        Assert.Equal("stackoverflow.com", page.Thread.Forum.Name);
    }

    [Fact]
    public void A_user_profile_reads_a_small_forum_page()
    {
        var profile = HtmlProfile.Parse("""
            {
              "name": "tiny", "source": "tinyboard", "forumName": "Gardening",
              "layout": "//ul[@class='thread']",
              "post": { "node": "//article[@class='op']", "id": "@data-id", "title": "h1", "body": "div[@class='text']",
                        "author": "span[@class='by']", "score": "span[@class='votes']", "time": "time/@datetime" },
              "comments": { "node": "//li[@class='reply']", "id": { "xpath": "@id", "pattern": "^r(\\d+)$" },
                            "parent": { "xpath": "ancestor::li[@class='reply'][1]/@id", "pattern": "^r(\\d+)$" },
                            "body": "div[@class='text']", "author": "span[@class='by']", "score": "span[@class='votes']",
                            "time": "time/@datetime" },
              "moreStubs": "//a[@class='more']"
            }
            """, "test");
        const string html = """
            <html><body>
            <article class="op" data-id="77"><h1>Tomatoes splitting?</h1><div class="text"><p>Why do they split?</p></div>
              <span class="by">ann</span><span class="votes">1,2 k</span><time datetime="2024-05-01T10:00:00Z">May 1</time></article>
            <ul class="thread">
              <li class="reply" id="r1"><div class="text">Watering unevenly.</div><span class="by">bob</span><span class="votes">12 points</span><time datetime="2024-05-01T11:00:00Z"></time>
                <ul><li class="reply" id="r2"><div class="text">Agreed.</div><span class="by">ann</span><span class="votes">3</span><time datetime="2024-05-01T12:00:00Z"></time></li></ul>
              </li>
              <li class="reply" id="r3"><div class="text">Hidden.</div><span class="by">cy</span><span class="votes">[score hidden]</span><time datetime="2024-05-01T13:00:00Z"></time></li>
              <li class="reply" id="r4"><div class="text">No time.</div><span class="by">di</span><span class="votes">1.5k</span></li>
            </ul><a class="more">load more</a>
            </body></html>
            """;

        var page = HtmlThreadParser.Parse(html, profile, Observed, "tiny.html");

        Assert.Equal(("tinyboard", "gardening"), (page.Thread.Forum.Source, page.Thread.Forum.Name));
        Assert.Equal(("77", "Tomatoes splitting?", 1200, "ann"), (page.Thread.Post.Id, page.Thread.Post.Title, page.Thread.Post.Score, page.Thread.Post.Author));
        Assert.Equal(["1:77:0:12:bob:False", "2:1:1:3:ann:False", "3:77:0:0:cy:True"],
            page.Thread.Comments.Select(c => $"{c.Id}:{c.ParentId}:{c.Depth}:{c.Score}:{c.Author}:{c.ScoreHidden}"));
        Assert.True(page.Thread.Comments[1].IsSubmitter);
        Assert.Equal(1, page.HiddenScores);
        Assert.False(page.Skipped.ContainsKey("hidden_score"));
        Assert.Equal(1, page.Skipped["missing_time"]);
        Assert.Equal(1, page.MoreStubs);
        Assert.Throws<HtmlProfileException>(() => HtmlThreadParser.Parse("<html><body><p>hello</p></body></html>", profile, Observed, "other.html"));
    }

    [Fact]
    public void A_page_nested_absurdly_deep_is_a_clear_error_not_a_crash()
    {
        // Found by the fuzz campaign: HtmlAgilityPack throws a plain Exception past its nesting limit.
        var html = "<html><body><div class=\"commentarea\">" + string.Concat(Enumerable.Repeat("<div>", 5000)) + "</div></body></html>";

        var error = Assert.Throws<HtmlProfileException>(() => HtmlThreadParser.Parse(html, HtmlProfile.Load("old-reddit"), Observed, "deep.html"));
        Assert.Contains("nests tags more than", error.Message);
    }

    [Theory]
    [InlineData("690", 690)]
    [InlineData("690 points", 690)]
    [InlineData("1 point", 1)]
    [InlineData("−5", -5)]
    [InlineData("1,234", 1234)]
    [InlineData("1.234", 1234)]
    [InlineData("1 234", 1234)]
    [InlineData("1.2k", 1200)]
    [InlineData("3,4 k", 3400)]
    [InlineData("2M", 2_000_000)]
    [InlineData("12 Punkte", 12)]
    [InlineData("23 bodov", 23)]
    [InlineData("1 bod", 1)]
    [InlineData("5 pontos", 5)]
    [InlineData("45 指標", 45)]
    [InlineData("1 234 bodov", 1234)]
    [InlineData("12 kudos", 12)]
    [InlineData("7 очков", 7)]
    [InlineData("[skóre skryté]", null)]
    [InlineData("[Punktzahl verborgen]", null)]
    [InlineData("[score hidden]", null)]
    [InlineData("•", null)]
    [InlineData("", null)]
    [InlineData("Vote", null)]
    [InlineData("1.23", null)]
    public void Scores_are_read_as_shown_or_not_at_all(string text, int? expected) => Assert.Equal(expected, ScoreText.Parse(text));

    [Theory]
    [InlineData("/private/x", false)]
    [InlineData("/private/public-note", true)]
    [InlineData("/questions/1", true)]
    [InlineData("/search?q=a", false)]
    [InlineData("/page.pdf", false)]
    [InlineData("/page.pdf?x=1", true)]
    public void Robots_rules_follow_the_longest_match(string path, bool allowed)
    {
        var rules = RobotsRules.Parse("""
            User-agent: otherbot
            Disallow: /

            User-agent: *
            Disallow: /private/
            Allow: /private/public
            Disallow: /search
            Disallow: /*.pdf$
            Crawl-delay: 5
            """, "forumprefs/0.1");

        Assert.Equal(allowed, rules.Allows(new Uri("https://forum.example" + path)));
        Assert.Equal(TimeSpan.FromSeconds(5), rules.CrawlDelay);
    }
}
