using System.Text;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ForumPrefs.Tests.Support;

/// <summary>Dump files written by tests: NDJSON lines, plain or zstd with the 2 GiB window (zstd --long=31).</summary>
public static class DumpFiles
{
    public static string Post(string id, string subreddit = "askscience", long created = 1_600_000_000, int score = 50) =>
        $$"""{"id":"{{id}}","subreddit":"{{subreddit}}","title":"Why {{id}}?","selftext":"Body of {{id}}","author":"op_{{id}}","score":{{score}},"created_utc":{{created}},"is_self":true,"over_18":false,"edited":false,"num_comments":3,"retrieved_on":{{created + 200_000}}}""";

    public static string Comment(string id, string postId, string parent, string subreddit = "askscience", long created = 1_600_000_100, int score = 5) =>
        $$"""{"id":"{{id}}","subreddit":"{{subreddit}}","link_id":"t3_{{postId}}","parent_id":"{{parent}}","body":"Comment {{id}}","author":"u_{{id}}","score":{{score}},"created_utc":"{{created}}","edited":false,"retrieved_on":{{created + 200_000}}}""";

    public static void WritePlain(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

    /// <summary>Streaming compression keeps windowLog 31 in the frame header, as the real dumps have it.</summary>
    public static void WriteLongWindowZst(string path, IEnumerable<string> lines) => WriteZst(path, Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    public static void WriteZst(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var zstd = new CompressionStream(file, 3);
        zstd.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, 31);
        zstd.SetParameter(ZSTD_cParameter.ZSTD_c_enableLongDistanceMatching, 1);
        zstd.Write(content);
    }
}
