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
        Assert.Equal(questions.Count(q => !string.IsNullOrEmpty((string?)q.Attribute("Tags"))), Sql.Scalar(store, "SELECT count(*) FROM posts WHERE tags LIKE '_%'"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE body LIKE '%<p>%' OR body LIKE '%&lt;%'"));
        var header = result.Out.Split('\n')[0].Split(',');
        var line = result.Out.Split('\n')[1].Split(',');
        Assert.Equal(others, header.Contains("other_post_type") ? long.Parse(line[Array.IndexOf(header, "other_post_type")]) : 0);
    }

    [Fact]
    public void Rows_come_out_in_file_order_with_every_body_as_text_and_skips_counted_as_they_are_taken()
    {
        // More rows than one chunk converted at a time, with a post type ForumPrefs skips every tenth row.
        var path = _folder.File("Posts.xml");
        File.WriteAllText(path, "<posts>\n" + string.Concat(Enumerable.Range(1, 1000).Select(i =>
            $"<row Id=\"{i}\" PostTypeId=\"{(i % 10 == 0 ? 5 : i % 2 == 1 ? 1 : 2)}\" ParentId=\"{i - 1}\" CreationDate=\"2020-01-01T00:00:00.000\" Score=\"{i}\" " +
            $"Body=\"&lt;p&gt;row &lt;b&gt;{i}&lt;/b&gt;&lt;/p&gt;\" Title=\"t{i}\" />\n")) + "</posts>\n");
        var reader = new ForumPrefs.Sources.StackExchange.PostsXmlReader("beer");

        var items = reader.Read(path).ToList();
        var early = new ForumPrefs.Sources.StackExchange.PostsXmlReader("beer");
        var firstFive = early.Read(path).Take(5).ToList();

        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), items.Select(i => i.Row));
        Assert.All(items.Where(i => i.Skip is null), i => Assert.Equal($"row {i.Row}", i.Question?.Body ?? i.Answer!.Body));
        Assert.Equal(100, reader.Skipped["other_post_type"]);
        Assert.Equal([1L, 2, 3, 4, 5], firstFive.Select(i => i.Row));
        Assert.Empty(early.Skipped); // taken rows had no skip: none counted past where the caller stopped
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

    [SkippableFact]
    public async Task The_benchmarks_real_sample_repeats_every_thread_with_its_own_ids()
    {
        // `bench stackexchange --sample` times real rows at any size: each pass is the whole site again, its ids (and
        // the ids that point at them) shifted so no copy touches another.
        var sample = Fixtures.File("stackexchange_dump/wenhaozheng-nju_2015challenge/Posts.xml");
        var repeated = _folder.File("Posts.xml");
        ForumPrefs.Bench.StackExchangeBenchmark.Repeat(sample, repeated, 3 * new FileInfo(sample).Length);

        var rows = XDocument.Load(sample).Root!.Elements("row").ToList();
        var copies = XDocument.Load(repeated).Root!.Elements("row").ToList();
        Assert.True(copies.Count >= 3 * rows.Count && copies.Count % rows.Count == 0, $"{copies.Count} rows from {rows.Count}");
        Assert.Equal(copies.Count, copies.Select(r => (string)r.Attribute("Id")!).Distinct().Count());
        var shift = rows.Max(r => (long)r.Attribute("Id")!) + 1;
        var pass = copies.Count / rows.Count - 1;
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, copy) = (rows[i], copies[pass * rows.Count + i]);
            foreach (var attribute in row.Attributes())
            {
                var expected = attribute.Name.LocalName is "Id" or "ParentId" or "AcceptedAnswerId"
                    ? ((long)attribute + pass * shift).ToString(System.Globalization.CultureInfo.InvariantCulture) : attribute.Value;
                Assert.Equal(expected, (string?)copy.Attribute(attribute.Name));
            }
        }
        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", repeated, "--site", "avp");
        Assert.True(result.ExitCode == 0, result.Error);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(copies.Count / rows.Count * rows.Count(r => (string?)r.Attribute("PostTypeId") == "1"), Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments c WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = c.post_id)"));
    }

    [Fact]
    public async Task Bench_stackexchange_refuses_a_sample_that_is_not_there()
    {
        var result = await Support.Cli.BenchAsync(_folder.Path, "stackexchange", "--sample", "no-such-Posts.xml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--sample: no such file", result.Error);
    }

    [Fact]
    public void Html_bodies_keep_code_blocks_and_lists()
    {
        var text = HtmlText.ToText("<p>Try this:</p><pre><code>for x in y:\n    print(x)\n</code></pre><ol><li>first</li><li>second &amp; last</li></ol><blockquote><p>quoted</p></blockquote>");

        Assert.Equal("Try this:\n\n```\nfor x in y:\n    print(x)\n```\n\n1. first\n2. second & last\n\n> quoted", text);
    }

    [Fact]
    public void Whitespace_carriage_returns_and_blank_lines_are_tidied_the_same_on_every_call()
    {
        // Runs of whitespace (tabs, no-break and em spaces) are one space; carriage returns go, also inside a line;
        // lines are trimmed except inside code; at most one blank line; entities decode only where they are.
        const string html = "<p>  a\t\u00a0b\u2003 &amp;amp; &bogus; c\r\nd </p>\r\n\r\n<div>\n\n\n</div><pre>  x\r\n    y  \r\n</pre><p>e\rf</p>";
        const string expected = "a b &amp; &bogus; c d\n\n```\n  x\n    y\n```\n\ne f";
        Assert.Equal(expected, HtmlText.ToText(html));
        Assert.Equal("[x](http://a)", HtmlText.ToText("<a href='http://a'>x</a>"));
        Assert.Equal(expected, HtmlText.ToText(html)); // the builder kept between calls starts empty
        Assert.Equal("", HtmlText.ToText("  \r\n <p> </p> "));
    }

    [Fact]
    public void Links_and_images_keep_their_destinations_in_Markdown_form()
    {
        var text = HtmlText.ToText("""<p>See <a href="https://example.org/a?b=1&amp;c=2">the guide</a>.</p><p><img src="https://i.stack.imgur.com/x.png" alt="diagram"></p><p><a href="#note">note</a> <a href="https://bare.example">https://bare.example</a></p>""");

        Assert.Equal("See [the guide](https://example.org/a?b=1&c=2).\n\n![diagram](https://i.stack.imgur.com/x.png)\n\nnote [https://bare.example](https://bare.example)", text);
        Assert.Equal("[https://x.example](https://x.example)", HtmlText.ToText("""<a href="https://x.example"></a>"""));
        Assert.Equal("![](https://i.stack.imgur.com/y.png)", HtmlText.ToText("""<img src="https://i.stack.imgur.com/y.png">"""));
    }

    [SkippableFact]
    public void Every_image_and_link_of_the_real_beer_site_survives_into_the_text()
    {
        var path = Fixtures.File("stackexchange_dump/WafflesonFire_stackdump/beer.Posts.xml");
        var bodies = XDocument.Load(path).Root!.Elements("row")
            .Where(r => (string?)r.Attribute("PostTypeId") is "1" or "2")
            .ToDictionary(r => (string)r.Attribute("Id")!, r => (string?)r.Attribute("Body") ?? "");
        var reader = new ForumPrefs.Sources.StackExchange.PostsXmlReader("beer.stackexchange.com");
        var texts = reader.Read(path).Where(i => i.Question is not null || i.Answer is not null)
            .ToDictionary(i => i.Question?.Id ?? i.Answer!.Id, i => i.Question?.Body ?? i.Answer!.Body);

        var withImages = bodies.Where(b => b.Value.Contains("<img")).ToList();
        Assert.True(withImages.Count > 100);
        foreach (var (id, body) in withImages)
        {
            var sources = System.Text.RegularExpressions.Regex.Matches(body, "<img[^>]*src=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value));
            Assert.All(sources, src => Assert.Contains($"]({src})", texts[id]));
        }
        var withLinks = bodies.Where(b => b.Value.Contains("<a href=\"http")).ToList();
        Assert.True(withLinks.Count > 100);
        foreach (var (id, body) in withLinks)
        {
            var hrefs = System.Text.RegularExpressions.Regex.Matches(body, "<a href=\"(http[^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value));
            Assert.All(hrefs, href => Assert.Contains($"]({href})", texts[id]));
        }
        // Nothing that had an image or a link reads as empty.
        Assert.DoesNotContain(withImages.Concat(withLinks), b => string.IsNullOrWhiteSpace(texts[b.Key]));
    }

    [SkippableFact]
    public void Tags_are_read_in_both_dump_layouts()
    {
        // Older dumps write <a><b>; newer ones |a|b| (the same site's rows rewritten as a newer dump writes them).
        var path = Fixtures.File("stackexchange_dump/stat4decision_python-avr2017/Posts.xml");
        var older = XDocument.Load(path);
        var expected = older.Root!.Elements("row").Where(r => r.Attribute("Tags") is not null)
            .ToDictionary(r => (string)r.Attribute("Id")!, r => ((string)r.Attribute("Tags")!).Trim('<', '>').Split("><"));
        var newer = new XDocument(older);
        foreach (var row in newer.Root!.Elements("row").Where(r => r.Attribute("Tags") is not null))
            row.SetAttributeValue("Tags", "|" + string.Join('|', expected[(string)row.Attribute("Id")!]) + "|");
        var newerPath = _folder.File("Posts.xml");
        newer.Save(newerPath);

        foreach (var file in new[] { path, newerPath })
        {
            var questions = new ForumPrefs.Sources.StackExchange.PostsXmlReader("datascience").Read(file)
                .Where(i => i.Question is not null).Select(i => i.Question!).ToList();
            Assert.True(expected.Count > 10);
            Assert.All(questions.Where(q => expected.ContainsKey(q.Id)), q => Assert.Equal(expected[q.Id], q.Tags));
        }
        Assert.Equal(["a", "b"], ForumPrefs.Sources.StackExchange.PostsXmlReader.ParseTags("<a><b>"));
        Assert.Equal(["c#", ".net"], ForumPrefs.Sources.StackExchange.PostsXmlReader.ParseTags("|c#|.net|"));
        Assert.Empty(ForumPrefs.Sources.StackExchange.PostsXmlReader.ParseTags(""));
    }

    [SkippableFact]
    public async Task A_corrupt_or_cut_gz_is_counted_and_the_files_after_it_are_ingested()
    {
        var source = Fixtures.File("stackexchange_dump/stat4decision_python-avr2017/Posts.xml");
        var rows = XDocument.Load(source).Root!.Elements("row").Count(r => (string?)r.Attribute("PostTypeId") is "1" or "2");
        var gz = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            zip.Write(File.ReadAllBytes(source));
        File.WriteAllBytes(_folder.File("1-corrupt.xml.gz"), [.. gz.ToArray()[..10], .. Enumerable.Repeat((byte)0x5A, 4000)]);
        File.WriteAllBytes(_folder.File("2-cut.xml.gz"), gz.ToArray()[..(int)(gz.Length / 2)]);
        File.WriteAllBytes(_folder.File("3-notgzip.xml.gz"), "this is not gzip at all"u8.ToArray());
        File.Copy(source, _folder.File("4-good.xml"));

        var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", "1-corrupt.xml.gz", "2-cut.xml.gz", "3-notgzip.xml.gz", "4-good.xml",
            "--site", "datascience", "--format", "csv");

        Assert.Equal(3, result.ExitCode);
        var table = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = table[0].Split(',');
        long Cell(string file, string column) => Array.IndexOf(header, column) is var i and >= 0
            ? long.Parse(table.Single(l => l.StartsWith(file, StringComparison.Ordinal)).Split(',')[i]) : 0;
        long Broken(string file) => Cell(file, "corrupt_file") + Cell(file, "truncated_file") + Cell(file, "malformed_xml");
        Assert.Equal(1, Broken("1-corrupt.xml.gz"));
        Assert.Equal(1, Broken("2-cut.xml.gz"));
        Assert.Equal(1, Cell("3-notgzip.xml.gz", "corrupt_file"));
        Assert.Equal(0, Broken("4-good.xml"));
        using var store = ForumStore.Open(_folder.File("forumprefs.db"), create: false);
        // The good file whole, plus what the cut file gave before its cut (the same rows again: stored once).
        Assert.Equal(rows, Sql.Scalar(store, "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)"));
        Assert.True(Cell("2-cut.xml.gz", "rows") > 0);
    }

    [SkippableFact]
    public async Task A_Posts_xml_is_known_by_its_content_not_its_path()
    {
        File.Copy(Fixtures.File("stackexchange_dump/stat4decision_python-avr2017/Posts.xml"), _folder.File("Posts.xml"));
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", "Posts.xml", "--site", "datascience")).ExitCode);
        File.Move(_folder.File("Posts.xml"), _folder.File("moved.xml"));

        var again = await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", "moved.xml", "--site", "datascience");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already ingested", again.Out);
    }
}
