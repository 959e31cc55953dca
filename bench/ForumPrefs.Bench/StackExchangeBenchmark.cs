using System.Globalization;
using System.Xml;

namespace ForumPrefs.Bench;

/// <summary>
/// A generated Stack Exchange Posts.xml (questions with 1–6 answers, HTML bodies with paragraphs, code, links, lists and
/// entities, as the dumps hold them), ingested by `forumprefs ingest stackexchange` and by two plain Python scripts
/// (iterparse with html.parser text extraction; and storing the raw HTML), each its own process under /usr/bin/time.
/// </summary>
public static class StackExchangeBenchmark
{
    public const double TargetRatio = 3;

    public sealed record Result(Measured Ingest, Measured? Python, Measured? PythonRaw, string? Problem);

    public static Result Run(string folder, int megabytes, string? sample = null)
    {
        var posts = Path.Combine(folder, "Posts.xml");
        if (sample is null)
            Generate(posts, (long)megabytes << 20);
        else
            Repeat(sample, posts, (long)megabytes << 20);
        var size = new FileInfo(posts).Length / 1e6;
        var forumprefs = Path.Combine(AppContext.BaseDirectory, "forumprefs.dll");
        var store = Path.Combine(folder, "store.db");
        var ingest = new Stage("forumprefs ingest stackexchange (text extracted)", size,
            ["dotnet", forumprefs, "ingest", "stackexchange", posts, "--site", "bench.stackexchange.com", "--db", store], store);
        string script;
        try
        {
            script = PythonReference.Script("ingest_stackexchange.py");
        }
        catch (BenchException ex)
        {
            return new Result(Processes.MeasureInTurn(ingest)[0], null, null, ex.Message);
        }
        var measured = Processes.MeasureInTurn(ingest,
            new Stage("reference: Python iterparse + html.parser text + sqlite3", size,
                [PythonReference.Python, script, posts, Path.Combine(folder, "python.db")], Path.Combine(folder, "python.db")),
            new Stage("Python iterparse + sqlite3, raw HTML stored (no text extraction)", size,
                [PythonReference.Python, script, posts, Path.Combine(folder, "raw.db"), "raw"], Path.Combine(folder, "raw.db")));
        return new Result(measured[0], measured[1], measured[2], null);
    }

    private static readonly string[] Words =
        "the of and to in is that it was for on are as with they be at one have this from or had by word but what some we can out other were all there when up use your how said an each which do their time if will way about many then them would like so these long make thing see two has look more day could go come did number no most people over know water than call first who may down side been now find".Split(' ');

    private static readonly string[] IdAttributes = ["Id", "ParentId", "AcceptedAnswerId"];

    /// <summary>
    /// Real rows at any size: the sample's rows written again and again until <paramref name="bytes"/>, each pass with
    /// its ids (and the ids that refer to them) shifted past the sample's largest, so every copy is a thread of its own.
    /// </summary>
    public static void Repeat(string sample, string path, long bytes)
    {
        var largest = Rows(sample).Select(row => long.TryParse(row.Find(a => a.Key == "Id").Value, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .DefaultIfEmpty(-1).Max();
        if (largest < 0)
            throw new BenchException($"{sample} holds no <row> elements");
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true }))
        {
            xml.WriteStartElement("posts");
            for (long pass = 0; output.Position < bytes; pass++)
            {
                foreach (var row in Rows(sample))
                {
                    xml.WriteStartElement("row");
                    foreach (var (name, value) in row)
                        xml.WriteAttributeString(name, IdAttributes.Contains(name) && long.TryParse(value, CultureInfo.InvariantCulture, out var id)
                            ? (id + pass * (largest + 1)).ToString(CultureInfo.InvariantCulture) : value);
                    xml.WriteEndElement();
                }
                xml.Flush();
            }
            xml.WriteEndElement();
        }
    }

    private static IEnumerable<List<KeyValuePair<string, string>>> Rows(string path)
    {
        using var xml = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (xml.ReadToFollowing("row"))
        {
            var attributes = new List<KeyValuePair<string, string>>();
            for (var more = xml.MoveToFirstAttribute(); more; more = xml.MoveToNextAttribute())
                attributes.Add(new(xml.Name, xml.Value));
            yield return attributes;
        }
    }

    public static void Generate(string path, long bytes)
    {
        var random = new Random(11);
        string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
        string Body()
        {
            var html = new System.Text.StringBuilder();
            for (var p = 0; p < 1 + random.Next(4); p++)
            {
                html.Append("<p>").Append(Sentence(10 + random.Next(40)));
                if (random.Next(3) == 0)
                    html.Append(" <a href=\"https://example.com/").Append(random.Next(10_000)).Append("\" rel=\"nofollow noreferrer\">").Append(Sentence(3)).Append("</a>");
                if (random.Next(4) == 0)
                    html.Append(" <em>").Append(Sentence(2)).Append("</em> &amp; <code>x &lt; y</code>");
                html.Append(".</p>\n");
            }
            if (random.Next(4) == 0)
                html.Append("<pre><code>for (int i = 0; i &lt; n; i++) { total += i; }\n</code></pre>\n");
            if (random.Next(5) == 0)
                html.Append("<ul>\n<li>").Append(Sentence(6)).Append("</li>\n<li>").Append(Sentence(6)).Append("</li>\n</ul>\n");
            return html.ToString();
        }
        using var stream = File.Create(path);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("posts");
        var id = 1;
        var at = new DateTime(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        while (stream.Position < bytes)
        {
            var question = id++;
            var answers = 1 + random.Next(6);
            xml.WriteStartElement("row");
            xml.WriteAttributeString("Id", question.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("PostTypeId", "1");
            xml.WriteAttributeString("AcceptedAnswerId", (question + 1 + random.Next(answers)).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("CreationDate", at.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("Score", random.Next(-2, 300).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("ViewCount", random.Next(10, 100_000).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("Body", Body());
            xml.WriteAttributeString("OwnerUserId", random.Next(1, 50_000).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("LastActivityDate", at.AddDays(3).ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("Title", $"How does {Sentence(5)} work?");
            xml.WriteAttributeString("Tags", "<beer><brewing>");
            xml.WriteAttributeString("AnswerCount", answers.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("CommentCount", "0");
            xml.WriteAttributeString("ContentLicense", "CC BY-SA 3.0");
            xml.WriteEndElement();
            for (var a = 0; a < answers; a++)
            {
                xml.WriteStartElement("row");
                xml.WriteAttributeString("Id", (id++).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("PostTypeId", "2");
                xml.WriteAttributeString("ParentId", question.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("CreationDate", at.AddHours(a + 1).ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture));
                xml.WriteAttributeString("Score", random.Next(-2, 200).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("Body", Body());
                xml.WriteAttributeString("OwnerUserId", random.Next(1, 50_000).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("LastActivityDate", at.AddDays(2).ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture));
                xml.WriteAttributeString("CommentCount", "0");
                xml.WriteAttributeString("ContentLicense", "CC BY-SA 3.0");
                xml.WriteEndElement();
            }
            at = at.AddMinutes(37);
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }
}
