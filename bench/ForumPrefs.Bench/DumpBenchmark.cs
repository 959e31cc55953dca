using System.Diagnostics;
using System.Text.Json;

namespace ForumPrefs.Bench;

/// <summary>
/// Generates a realistic RC dump (Reddit's comment field set, log-normal body lengths, 20 subreddits), compresses it
/// with the zstd CLI at --long=31 as the real dumps are, and times, on the same file and in the same run:
/// zstd -d --long=31 (the reference), a filter-only ingest (the subreddit is absent) and a full ingest. Each stage
/// runs as its own process under /usr/bin/time, so its peak RSS is its own; each is run twice and the faster run kept.
/// </summary>
public static class DumpBenchmark
{
    public const double FilterTargetRatio = 0.60;
    public const double IngestTargetMbPerSecond = 100;

    public static IReadOnlyList<Measured> Run(string folder, int megabytes)
    {
        var plain = Path.Combine(folder, "RC_bench.ndjson");
        var compressed = plain + ".zst";
        Generate(plain, (long)megabytes << 20);
        var size = new FileInfo(plain).Length / 1e6;
        Processes.Run("zstd", $"-q -3 -T0 --long=31 \"{plain}\" -o \"{compressed}\"");

        // The same lines as two files (halves), for --jobs: one worker against two.
        var halves = SplitInTwo(plain);
        foreach (var half in halves)
            Processes.Run("zstd", $"-q -3 -T0 --long=31 \"{half}\" -o \"{half}.zst\"");

        var forumprefs = Path.Combine(AppContext.BaseDirectory, "forumprefs.dll");
        return
        [
            Processes.Measure("reference: zstd -d --long=31 (CLI)", size, false, "sh", "-c", $"zstd -d -q --long=31 -c '{compressed}' > /dev/null"),
            Processes.Measure("filter-only pass (subreddit absent)", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", compressed,
                "--db", Path.Combine(folder, "filter.db"), "--subreddit", "no_such_subreddit"),
            Processes.Measure("filter-only pass, managed decoder (--zstd managed)", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", compressed,
                "--db", Path.Combine(folder, "filter-managed.db"), "--subreddit", "no_such_subreddit", "--zstd", "managed"),
            Processes.Measure("full ingest into the store", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", compressed,
                "--db", Path.Combine(folder, "full.db")),
            // The same lines uncompressed: what the reader itself holds, without a zstd window.
            Processes.Measure("full ingest, same file uncompressed", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", plain,
                "--db", Path.Combine(folder, "plain.db")),
            Processes.Measure("filter-only, same lines as 2 .zst files, --jobs 1", size, true, "dotnet", forumprefs, "ingest", "reddit-dump",
                halves[0] + ".zst", halves[1] + ".zst", "--jobs", "1", "--db", Path.Combine(folder, "filter1.db"), "--subreddit", "no_such_subreddit"),
            Processes.Measure("filter-only, same lines as 2 .zst files, --jobs 2", size, true, "dotnet", forumprefs, "ingest", "reddit-dump",
                halves[0] + ".zst", halves[1] + ".zst", "--jobs", "2", "--db", Path.Combine(folder, "filter2.db"), "--subreddit", "no_such_subreddit"),
            Processes.Measure("full ingest, same lines as 2 .zst files, --jobs 1", size, true, "dotnet", forumprefs, "ingest", "reddit-dump",
                halves[0] + ".zst", halves[1] + ".zst", "--jobs", "1", "--db", Path.Combine(folder, "jobs1.db")),
            Processes.Measure("full ingest, same lines as 2 .zst files, --jobs 2", size, true, "dotnet", forumprefs, "ingest", "reddit-dump",
                halves[0] + ".zst", halves[1] + ".zst", "--jobs", "2", "--db", Path.Combine(folder, "jobs2.db")),
        ];
    }

    /// <summary>The file's lines as two files of about half the size each.</summary>
    private static string[] SplitInTwo(string path)
    {
        string[] halves = [path + ".1", path + ".2"];
        var middle = new FileInfo(path).Length / 2;
        using var reader = new StreamReader(path);
        using var first = new StreamWriter(halves[0]);
        using var second = new StreamWriter(halves[1]);
        long written = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            (written < middle ? first : second).Write(line + "\n");
            written += line.Length + 1;
        }
        return halves;
    }

    /// <summary>Comment lines with the fields Reddit's dumps carry, most of them ones ForumPrefs never reads.</summary>
    public static void Generate(string path, long bytes)
    {
        var random = new Random(5);
        var subreddits = Enumerable.Range(0, 20).Select(i => $"subreddit{i}").ToArray();
        var words = "the of and to in is that it was for on are as with they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find".Split(' ');
        using var stream = new BufferedStream(File.Create(path), 1 << 20);
        using var json = new Utf8JsonWriter(stream);
        var text = new System.Text.StringBuilder();
        for (long line = 0; stream.Position < bytes; line++)
        {
            var post = line / 40;
            var created = 1_600_000_000 + line * 3;
            if (line % 40 == 0)
            {
                // The submission the next 40 comments answer (an RS line in the same file).
                json.Reset();
                json.WriteStartObject();
                json.WriteString("id", $"p{post:x}"); json.WriteString("subreddit", subreddits[post % 20]);
                json.WriteString("title", $"Why does thing {post} happen?"); json.WriteString("selftext", "I wonder about it.");
                json.WriteString("author", $"op{post}"); json.WriteNumber("score", 10 + random.Next(5000));
                json.WriteNumber("created_utc", created - 600); json.WriteBoolean("is_self", true); json.WriteBoolean("over_18", false);
                json.WriteBoolean("edited", false); json.WriteNumber("num_comments", 40); json.WriteNumber("upvote_ratio", 0.9);
                json.WriteNumber("retrieved_on", created + 200_000);
                json.WriteEndObject();
                json.Flush();
                stream.WriteByte((byte)'\n');
            }
            text.Clear();
            var length = (int)Math.Clamp(Math.Exp(5.0 + 1.1 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 1.6), 5, 10_000);
            while (text.Length < length)
                text.Append(words[random.Next(words.Length)]).Append(' ');
            json.Reset();
            json.WriteStartObject();
            json.WriteStartObject("_meta"); json.WriteNumber("retrieved_2nd_on", created + 90_000); json.WriteEndObject();
            json.WriteStartArray("all_awardings"); json.WriteEndArray();
            json.WriteNull("approved_at_utc"); json.WriteNull("approved_by"); json.WriteBoolean("archived", false);
            json.WriteNull("associated_award"); json.WriteString("author", $"user{random.Next(1_000_000)}");
            json.WriteNull("author_flair_background_color"); json.WriteNull("author_flair_css_class");
            json.WriteStartArray("author_flair_richtext"); json.WriteEndArray(); json.WriteNull("author_flair_template_id");
            json.WriteNull("author_flair_text"); json.WriteNull("author_flair_text_color"); json.WriteString("author_flair_type", "text");
            json.WriteString("author_fullname", $"t2_{random.Next():x}"); json.WriteBoolean("author_is_blocked", false);
            json.WriteBoolean("author_patreon_flair", false); json.WriteBoolean("author_premium", false);
            json.WriteStartArray("awarders"); json.WriteEndArray(); json.WriteNull("banned_at_utc"); json.WriteNull("banned_by");
            json.WriteString("body", text.ToString()); json.WriteBoolean("can_gild", true); json.WriteBoolean("can_mod_post", false);
            json.WriteBoolean("collapsed", false); json.WriteNull("collapsed_because_crowd_control"); json.WriteNull("collapsed_reason");
            json.WriteNull("collapsed_reason_code"); json.WriteNull("comment_type"); json.WriteNumber("controversiality", 0);
            json.WriteNumber("created", created); json.WriteNumber("created_utc", created); json.WriteNull("distinguished");
            json.WriteNumber("downs", 0); json.WriteBoolean("edited", false); json.WriteNumber("gilded", 0);
            json.WriteStartObject("gildings"); json.WriteEndObject(); json.WriteString("id", $"c{line:x}");
            json.WriteBoolean("is_submitter", random.Next(20) == 0); json.WriteNull("likes");
            json.WriteString("link_id", $"t3_p{post:x}"); json.WriteBoolean("locked", false); json.WriteNull("mod_note");
            json.WriteNull("mod_reason_by"); json.WriteNull("mod_reason_title"); json.WriteStartArray("mod_reports"); json.WriteEndArray();
            json.WriteString("name", $"t1_c{line:x}"); json.WriteBoolean("no_follow", true); json.WriteNull("num_reports");
            json.WriteString("parent_id", line % 3 == 0 || line % 40 == 0 ? $"t3_p{post:x}" : $"t1_c{line - 1:x}");
            json.WriteString("permalink", $"/r/{subreddits[post % 20]}/comments/p{post:x}/title/c{line:x}/");
            json.WriteNull("removal_reason"); json.WriteNull("report_reasons"); json.WriteNumber("retrieved_on", created + 200_000);
            json.WriteBoolean("saved", false); json.WriteNumber("score", random.Next(-5, 2000)); json.WriteBoolean("score_hidden", false);
            json.WriteBoolean("send_replies", true); json.WriteBoolean("stickied", false);
            json.WriteString("subreddit", subreddits[post % 20]); json.WriteString("subreddit_id", $"t5_{post % 20:x}");
            json.WriteString("subreddit_name_prefixed", $"r/{subreddits[post % 20]}"); json.WriteString("subreddit_type", "public");
            json.WriteNull("top_awarded_type"); json.WriteNumber("total_awards_received", 0);
            json.WriteStartArray("treatment_tags"); json.WriteEndArray(); json.WriteNumber("ups", 1);
            json.WriteStartArray("user_reports"); json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
        }
    }
}
