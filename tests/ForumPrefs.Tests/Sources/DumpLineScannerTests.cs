using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Tests.Support;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Tests.Sources;

/// <summary>
/// The one-pass scanner must give every line the result Utf8JsonReader gives it, message and position included:
/// real lines of every dump era, real API objects (escapes, nesting, pretty-printing), hand-picked edge cases, and
/// tens of thousands of lines mutated with the bytes JSON cares about. Each also checks which path read the line,
/// so the scanner is seen to take the common lines and decline the odd ones.
/// </summary>
public sealed class DumpLineScannerTests
{
    private const string Pushshift = "pushshift/Paul-E_Pushshift-Importer";

    /// <summary>What the parser made of a line, an exception included, in a form two paths can be compared by.</summary>
    private static string Outcome(Func<DumpLineParser.Result> parse)
    {
        try
        {
            return parse().ToString();
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Both paths agree on the line; returns whether the scanner read it itself.</summary>
    private static bool AssertSame(byte[] line)
    {
        var fast = Outcome(() => DumpLineParser.Parse(line));
        var reader = Outcome(() => DumpLineParser.ParseWithReader(line));
        Assert.True(fast == reader, $"line: {Encoding.UTF8.GetString(line)}\nscanner: {fast}\nreader:  {reader}");
        var fields = default(DumpLineParser.Fields);
        try
        {
            return System.Text.Unicode.Utf8.IsValid(line) && DumpLineScanner.TryRead(line, ref fields);
        }
        catch (InvalidOperationException)
        {
            return true; // the scanner's own unescaping refused the text, as the reader's does (compared above)
        }
    }

    private static List<byte[]> DumpLines() =>
        new[] { "test_comments.json", "test_submissions.json" }
            .SelectMany(f => File.ReadAllLines(Fixtures.File($"{Pushshift}/{f}")))
            .Where(l => l.Trim().Length > 0).Select(Encoding.UTF8.GetBytes).ToList();

    /// <summary>Every comment and link object in the recorded Reddit API responses, as one line each (as written, escapes kept).</summary>
    private static List<byte[]> ApiObjects()
    {
        var folder = Fixtures.File("reddit_api/praw-dev_praw");
        var objects = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Where(f => f.Contains(".bodies/")))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            Collect(document.RootElement, objects);
        }
        return objects;
    }

    private static void Collect(JsonElement element, List<byte[]> objects)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
                && kind.GetString() is "t1" or "t3" && element.TryGetProperty("data", out var data))
                // Raw text as recorded; a pretty-printed body's line breaks are whitespace between tokens.
                objects.Add(Encoding.UTF8.GetBytes(data.GetRawText().Replace('\n', ' ')));
            foreach (var property in element.EnumerateObject())
                Collect(property.Value, objects);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Collect(item, objects);
        }
    }

    [SkippableFact]
    public void Real_lines_of_every_dump_era_are_scanned_and_read_as_the_reader_reads_them()
    {
        var lines = DumpLines();
        Assert.Equal(58, lines.Count);
        foreach (var line in lines)
            Assert.True(AssertSame(line), $"declined a real line: {Encoding.UTF8.GetString(line)[..80]}");
    }

    [SkippableFact]
    public void Real_api_objects_with_escapes_and_nesting_read_as_the_reader_reads_them()
    {
        var objects = ApiObjects();
        Assert.True(objects.Count > 100, $"{objects.Count} objects");
        var scanned = objects.Count(AssertSame);
        // Escaped names or values are common in API bodies; only lines with nothing unusual take the scan.
        Assert.True(scanned > objects.Count / 2, $"{scanned} of {objects.Count} scanned");
        Assert.Contains(objects, o => o.AsSpan().IndexOf("\\\""u8) >= 0 || o.AsSpan().IndexOf("\\n"u8) >= 0);
    }

    [Theory]
    // Escapes in kept values are unescaped by the reader itself; in skipped values they are checked.
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","body":"a\nb \"q\" \u00e9 \ud83d\ude00 \/"}""", true)]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","body":"b","flair":"\u00e9\t\\"}""", true)]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","body":"b","flair":"\x"}""", false)]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","body":"b","flair":"\u00g0"}""", false)]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","body":"\ud800 lone"}""", true)]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","flair":"\ud800 lone","body":"b"}""", true)]
    [InlineData("""{"id":"c","subreddit":"A\u0073k","created_utc":1,"link_id":"t3_\u0070","parent_id":"\u0074\u0031_q","body":"b"}""", true)]
    // An escaped name is left to the reader (which compares names as written).
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p","parent_id":"t3_p","b\u006fdy":"b"}""", false)]
    // Numbers: JSON's grammar, and doubles as the reader reads them.
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1.6e9,"title":"t","score":-0,"upvote_ratio":0.50,"num_comments":1E+2}""", true)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":01,"title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1.,"title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":.5,"title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1e999,"title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","score":99999999999}""", true)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":"1600000000.5","title":"t"}""", true)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":" 1600000000","title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":"1e999","title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","other":-}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","other":12a}""", false)]
    // Literals, types, whitespace, structure.
    [InlineData(""" { "id" : "a" ,	"subreddit":"x","created_utc":1,"title":"t","edited":true , "is_self" : null } """, true)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","edited":tru}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","over_18":"yes"}""", false)]
    [InlineData("""{"id":5,"subreddit":"x","created_utc":1,"title":"t"}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","a":[1,{"b":[null,true,false,"s",{}]},[]],"c":{}}""", true)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","a":[1,]}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t",}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t"} x""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t"}{}""", false)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t" """, false)]
    [InlineData("""{"id":"a","id":"b","subreddit":"x","subreddit":null,"subreddit":"y","created_utc":1,"title":"t"}""", true)]
    [InlineData("""{"_meta":{"note":[1],"retrieved_2nd_on":1700000000},"id":"a","subreddit":"x","created_utc":1,"title":"t","retrieved_on":1600000000}""", true)]
    [InlineData("""{"_meta":"odd","id":"a","subreddit":"x","created_utc":1,"title":"t"}""", true)]
    [InlineData("""{}""", true)]
    [InlineData("""[]""", false)]
    [InlineData("", false)]
    public void Edge_cases_read_as_the_reader_reads_them(string line, bool scanned)
    {
        Assert.Equal(scanned, AssertSame(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void Control_characters_and_deep_nesting_are_left_to_the_reader()
    {
        var control = Encoding.UTF8.GetBytes("""{"id":"a","subreddit":"x","created_utc":1,"title":"t\u0001"}""".Replace("\\u0001", "\u0001"));
        Assert.False(AssertSame(control));
        foreach (var depth in new[] { 30, 31, 40, 63, 64, 65, 200 })
        {
            var nested = $$"""{"id":"a","subreddit":"x","created_utc":1,"title":"t","deep":{{new string('[', depth)}}{{new string(']', depth)}}}""";
            Assert.Equal(depth <= 31, AssertSame(Encoding.UTF8.GetBytes(nested)));
        }
    }

    [SkippableFact]
    public void Mutated_lines_read_as_the_reader_reads_them()
    {
        var corpus = DumpLines();
        string[] pieces = ["\"", "\\", "\\\"", "\\u00e9", "\\ud800", "\\ud83d\\ude00", "\\x", "\\u12", " ", "\t", "\r", "{", "}", "[", "]",
            ",", ":", "0", "01", "-", "1e999", "-0.5e+3", "1.", "tru", "null", "nul", "false", "\u0001", "é", "\"a\":1,", "{\"a\":[]}"];
        var random = new Random(17);
        int scanned = 0, declined = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = new List<byte>(corpus[random.Next(corpus.Count)]);
            for (var edits = 1 + random.Next(3); edits > 0; edits--)
            {
                var at = random.Next(line.Count);
                switch (random.Next(3))
                {
                    case 0: line.InsertRange(at, Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)])); break;
                    case 1: line.RemoveRange(at, Math.Min(line.Count - at, 1 + random.Next(3))); break;
                    default: line[at] = Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)])[0]; break;
                }
            }
            _ = AssertSame([.. line]) ? scanned++ : declined++;
        }
        // Both paths were exercised: many mutations land inside strings (still valid), many break the line.
        Assert.True(scanned > 2_000 && declined > 2_000, $"{scanned} scanned, {declined} declined");
    }
}
