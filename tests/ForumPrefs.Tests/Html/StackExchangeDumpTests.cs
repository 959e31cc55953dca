using ForumPrefs.Sources.Html;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Xml.Linq;

namespace ForumPrefs.Tests.Html;

public sealed class StackExchangeDumpTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData("stackexchange_dump/stat4decision_python-avr2017/Posts.xml")]
    [InlineData("stackexchange_dump/wenhaozheng-nju_2015challenge/Posts.xml")]
    public async Task Questions_and_answers_stored_equal_the_rows_of_each_type_and_accepted_answers_are_linked(string fixture)
    {
        var path = Fixtures.File(fixture);
        var rows = XDocument.Load(path).Root!.Elements("row").ToList();
        var questions = rows.Where(r => (string?)r.Attribute("PostTypeId") == "1").ToList();
        var answers = rows.Where(r => (string?)r.Attribute("PostTypeId") == "2").ToList();
        var others = rows.Count - questions.Count - answers.Count;

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", path, "--site", "datascience", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.Error);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(questions.Count, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(answers.Count, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth = 0 AND parent_id = post_id"));
        var accepted = questions.Where(q => q.Attribute("AcceptedAnswerId") is not null).ToList();
        Assert.Equal(accepted.Count, Sql.Scalar(store, "SELECT count(*) FROM posts WHERE accepted_answer_id IS NOT NULL"));
        foreach (var question in accepted)
            Assert.Equal((string?)question.Attribute("AcceptedAnswerId"), Sql.Text(store, $"SELECT accepted_answer_id FROM posts WHERE id = '{(string?)question.Attribute("Id")}'"));
        foreach (var answer in answers.Take(20))
            Assert.Equal((int)answer.Attribute("Score")!, Sql.Scalar(store, $"SELECT score FROM comments WHERE id = '{(string?)answer.Attribute("Id")}'"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM posts WHERE url NOT LIKE 'https://datascience.stackexchange.com/q/%'"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE body LIKE '%<p>%' OR body LIKE '%&lt;%'"));
        var header = result.Out.Split('\n')[0].Split(',');
        var line = result.Out.Split('\n')[1].Split(',');
        Assert.Equal(others, header.Contains("other_post_type") ? long.Parse(line[Array.IndexOf(header, "other_post_type")]) : 0);
    }

    [SkippableFact]
    public async Task Run_takes_a_Stack_Exchange_dump_instead_of_the_simulator()
    {
        var path = Fixtures.File("stackexchange_dump/wenhaozheng-nju_2015challenge/Posts.xml");

        var result = await Support.Cli.RunAsync(_folder.Path, "run", "--stackexchange", path, "--site", "avp.stackexchange.com", "--min-score-age", "0");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("stackexchange/avp.stackexchange.com", result.Out);
        Assert.True(File.Exists(_folder.File("datasets/avp.stackexchange.com/avp.stackexchange.com/train.parquet")));
        var links = Duck.Query($"SELECT DISTINCT attribution FROM read_parquet('{Duck.Path(_folder.File("datasets/avp.stackexchange.com/*/*.parquet"))}')");
        Assert.All(links.Rows, r => Assert.StartsWith("https://avp.stackexchange.com/q/", (string)r[0]!));
        var columns = Duck.Query($"DESCRIBE SELECT * FROM read_parquet('{Duck.Path(_folder.File("datasets/avp.stackexchange.com/*/train.parquet"))}')").Rows.Select(r => (string)r[0]!);
        Assert.Contains("attribution", columns);
    }

    [Fact]
    public void Html_bodies_keep_code_blocks_and_lists()
    {
        var text = HtmlText.ToText("<p>Try this:</p><pre><code>for x in y:\n    print(x)\n</code></pre><ol><li>first</li><li>second &amp; last</li></ol><blockquote><p>quoted</p></blockquote>");

        Assert.Equal("Try this:\n\n```\nfor x in y:\n    print(x)\n```\n\n1. first\n2. second & last\n\n> quoted", text);
    }
}
