using ForumPrefs.Core;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Tests.Support;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Tests.Sources;

/// <summary>The real Pushshift lines in the fixtures parse with every field as the file has it.</summary>
public sealed class DumpParserTests
{
    private const string Folder = "pushshift/Paul-E_Pushshift-Importer";

    private static IEnumerable<(byte[] Raw, JsonElement Json)> Lines(string file) =>
        System.IO.File.ReadAllLines(Fixtures.File($"{Folder}/{file}"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => (Encoding.UTF8.GetBytes(l), JsonDocument.Parse(l).RootElement.Clone()));

    private static double Seconds(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetDouble();

    private static long Observed(JsonElement json)
    {
        var retrieved = json.TryGetProperty("retrieved_on", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : 0;
        var second = json.TryGetProperty("_meta", out var meta) && meta.TryGetProperty("retrieved_2nd_on", out var s2) ? s2.GetDouble() : 0;
        var best = Math.Max(retrieved, second);
        return (long)(best > 0 ? best : Seconds(json.GetProperty("created_utc")));
    }

    [SkippableFact]
    public void Submissions_parse_with_every_field_as_in_the_file()
    {
        var lines = Lines("test_submissions.json").ToList();
        Assert.NotEmpty(lines);
        foreach (var (raw, json) in lines)
        {
            var item = DumpLineParser.Parse(raw).Item;
            Assert.NotNull(item);
            var post = item.Post!;
            Assert.Equal(new Forum("reddit", json.GetProperty("subreddit").GetString()!), item.Forum);
            Assert.Equal(json.GetProperty("id").GetString(), post.Id);
            Assert.Equal(json.GetProperty("title").GetString(), post.Title);
            Assert.Equal(json.GetProperty("selftext").GetString(), post.Body);
            Assert.Equal(json.GetProperty("author").GetString(), post.Author);
            Assert.Equal(json.GetProperty("score").GetInt32(), post.Score);
            Assert.Equal((long)Seconds(json.GetProperty("created_utc")), post.Created.ToUnixTimeSeconds());
            Assert.Equal(json.GetProperty("over_18").GetBoolean(), post.Over18);
            Assert.Equal(json.GetProperty("is_self").GetBoolean(), post.IsSelf);
            Assert.Equal(json.GetProperty("num_comments").GetInt32(), post.NumComments);
            var edited = json.GetProperty("edited");
            Assert.Equal(edited.ValueKind == JsonValueKind.Number ? (long)edited.GetDouble() : null, post.Edited?.ToUnixTimeSeconds());
            if (json.TryGetProperty("upvote_ratio", out var ratio))
                Assert.Equal(ratio.GetDouble(), post.UpvoteRatio);
            Assert.Equal(Observed(json), item.Observed.ToUnixTimeSeconds());
        }
        // The file mixes created_utc as int, float and string, and edited as false and a timestamp.
        Assert.Contains(lines, l => l.Json.GetProperty("created_utc").ValueKind == JsonValueKind.String);
        Assert.Contains(lines, l => l.Json.GetProperty("edited").ValueKind == JsonValueKind.Number);
    }

    [SkippableFact]
    public void Comments_parse_with_every_field_as_in_the_file()
    {
        foreach (var (raw, json) in Lines("test_comments.json"))
        {
            var item = DumpLineParser.Parse(raw).Item;
            Assert.NotNull(item);
            var comment = item.Comment!;
            var linkId = json.GetProperty("link_id").GetString()!;
            var parentId = json.GetProperty("parent_id").GetString()!;
            Assert.Equal(json.GetProperty("id").GetString(), comment.Id);
            Assert.Equal(linkId[3..], comment.PostId);
            Assert.Equal(parentId[3..], comment.ParentId);
            Assert.Equal(parentId == linkId ? 0 : -1, comment.Depth);
            Assert.Equal(json.GetProperty("body").GetString(), comment.Body);
            Assert.Equal(json.GetProperty("author").GetString(), comment.Author);
            Assert.Equal(json.GetProperty("score").GetInt32(), comment.Score);
            Assert.Equal((long)Seconds(json.GetProperty("created_utc")), comment.Created.ToUnixTimeSeconds());
            Assert.Equal(json.TryGetProperty("distinguished", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null, comment.Distinguished);
            Assert.Equal(json.TryGetProperty("stickied", out var st) && st.GetBoolean(), comment.Stickied);
            Assert.Equal(json.TryGetProperty("is_submitter", out var sub) && sub.GetBoolean(), comment.IsSubmitter);
            Assert.Equal(Observed(json), item.Observed.ToUnixTimeSeconds());
        }
    }

    [Theory]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":"1600000000.5","title":"t","score":null,"edited":true}""", 0)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1600000000,"link_id":"t3_p","parent_id":"t1_q","body":"[deleted]","author":"[deleted]","score":3}""", 3)]
    public void Quirks_are_accepted(string line, int score)
    {
        var item = DumpLineParser.Parse(Encoding.UTF8.GetBytes(line)).Item;
        Assert.NotNull(item);
        Assert.Equal(score, item.Post?.Score ?? item.Comment!.Score);
        Assert.Equal(1600000000, (item.Post?.Created ?? item.Comment!.Created).ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("""{"id":"c","subreddit":"AskScience","created_utc":1,"link_id":"t3_p1","parent_id":"t1_c0","body":"b"}""", "askscience", "p1", "c0")]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_\u0070\u0031","parent_id":"\u0074\u0033_p1","body":"b"}""", "x", "p1", "p1")]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"p1","parent_id":"tέ_q","body":"b"}""", "x", "p1", "q")]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"p1","parent_id":"éé_q","body":"b"}""", "x", "p1", "éé_q")]
    [InlineData("""{"id":"c","subreddit":"x","created_utc":1,"link_id":"t3_p1","parent_id":"t3_p1","body":"b","subreddit":"Y "}""", "y", "p1", "p1")]
    public void Comment_links_lose_their_kind_prefix_and_subreddits_are_normalised(string line, string forum, string post, string parent)
    {
        // Twice, so the second line meets the forum cached from the first.
        for (var i = 0; i < 2; i++)
        {
            var item = DumpLineParser.Parse(Encoding.UTF8.GetBytes(line)).Item!;
            Assert.Equal(new Forum(SourceNames.Reddit, forum), item.Forum);
            Assert.Equal(post, item.Comment!.PostId);
            Assert.Equal(parent, item.Comment.ParentId);
            Assert.Equal(post == parent ? 0 : -1, item.Comment.Depth);
        }
    }

    [Theory]
    [InlineData("""{"id":"a","subreddit":"x",""", SkipKind.MalformedJson)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"title":"t","subreddit":" "}""", SkipKind.MissingField)]
    [InlineData("""{"id":"a","subreddit":null,"created_utc":1,"title":"t"}""", SkipKind.MissingField)]
    [InlineData("""not json""", SkipKind.MalformedJson)]
    [InlineData("""{"id":5,"subreddit":"x","created_utc":1,"title":"t"}""", SkipKind.WrongType)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":{"a":1},"title":"t"}""", SkipKind.WrongType)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":"yesterday","title":"t"}""", SkipKind.WrongType)]
    [InlineData("""{"id":"a","subreddit":"x","title":"t"}""", SkipKind.MissingField)]
    [InlineData("""{"id":"a","subreddit":"x","created_utc":1,"link_id":"t3_p","body":"b"}""", SkipKind.MissingField)]
    public void Bad_lines_are_classified(string line, SkipKind kind)
    {
        var result = DumpLineParser.Parse(Encoding.UTF8.GetBytes(line));
        Assert.Null(result.Item);
        Assert.Equal(kind, result.Kind);
        Assert.False(string.IsNullOrEmpty(result.Problem));
    }

    [Fact]
    public void Invalid_utf8_is_its_own_kind()
    {
        var line = Encoding.UTF8.GetBytes("""{"id":"a","subreddit":"x","created_utc":1,"title":"XX"}""");
        line[^4] = 0xC3;
        line[^3] = 0x28;
        Assert.Equal(SkipKind.InvalidUtf8, DumpLineParser.Parse(line).Kind);
    }

    [Fact]
    public void The_byte_filter_never_drops_a_wanted_line_and_sees_past_crossposts()
    {
        var filter = new SubredditFilter(["AskScience"]);
        Assert.True(filter.MayMatch("""{"subreddit":"askscience","id":"a"}"""u8));
        Assert.True(filter.MayMatch("""{"crosspost_parent_list":[{"subreddit":"other"}],"subreddit":"ASKSCIENCE"}"""u8));
        Assert.True(filter.MayMatch("""{"subreddit" : "askscience"}"""u8)); // odd spacing: left to the parser
        Assert.False(filter.MayMatch("""{"subreddit":"funny","subreddit_id":"t5_1"}"""u8));
    }
}
