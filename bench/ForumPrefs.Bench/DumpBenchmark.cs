using System.Diagnostics;
using System.Text.Json;

namespace ForumPrefs.Bench;

/// <summary>
/// Generates realistic RC dumps in both line layouts (Reddit's comment field sets of 2023–24 and of 2015, log-normal
/// body lengths, 20 subreddits), compresses them with the zstd CLI at --long=31 as the real dumps are, and times, on
/// the same files and in the same run: zstd -d --long=31, a filter-only ingest (the subreddit is absent), a full ingest
/// and the plain Python script. Each stage runs as its own process under /usr/bin/time, so its peak RSS is its own;
/// the stages compared with each other run in turn, twice, and each keeps its faster run.
/// </summary>
public static class DumpBenchmark
{
    public const double FilterTargetRatio = 0.60;
    /// <summary>What an ingest may hold beyond the zstd window its file needs (issue 17: peak RSS ≤ window + 300 MB).</summary>
    public const int MemoryAllowanceMb = 300;

    /// <summary>One layout's rows: the zstd CLI, the filter-only pass, the full ingest and the plain Python script, on one file.</summary>
    public sealed record LayoutRows(string Layout, Measured Zstd, Measured Filter, Measured Ingest, Measured? Python)
    {
        public IEnumerable<Measured> All => Python is null ? [Zstd, Filter, Ingest] : [Zstd, Filter, Ingest, Python];
    }

    /// <summary>Both layouts, and on the modern one: the managed decoder, the uncompressed file, and --jobs 1 against 2.</summary>
    public sealed record Result(LayoutRows Modern, LayoutRows Legacy, Measured ManagedFilter, Measured Uncompressed,
        Measured Jobs1Filter, Measured Jobs2Filter, Measured Jobs1Ingest, Measured Jobs2Ingest, string? PythonProblem);

    public static Result Run(string folder, int megabytes)
    {
        var forumprefs = Path.Combine(AppContext.BaseDirectory, "forumprefs.dll");
        string? script = null, problem = null;
        try
        {
            script = PythonReference.Script("ingest_reddit_dump.py", ("zstandard", "python3-zstandard (Debian) or: pip install zstandard"));
        }
        catch (BenchException ex)
        {
            problem = ex.Message;
        }

        LayoutRows Layout(string name, bool legacy, out string plain, out string compressed, out double size)
        {
            plain = Path.Combine(folder, $"RC_{name}.ndjson");
            compressed = plain + ".zst";
            Generate(plain, (long)megabytes << 20, legacy);
            size = new FileInfo(plain).Length / 1e6;
            Processes.Run("zstd", $"-q -3 -T0 --long=31 \"{plain}\" -o \"{compressed}\"");
            Processes.DropFromCache(plain, compressed);
            var filterDb = Path.Combine(folder, $"filter-{name}.db");
            var fullDb = Path.Combine(folder, $"full-{name}.db");
            var pythonDb = Path.Combine(folder, $"python-{name}.db");
            List<Stage> stages =
            [
                new($"{name}: reference: zstd -d --long=31 (CLI)", size, ["sh", "-c", $"zstd -d -q --long=31 -c '{compressed}' > /dev/null"]),
                new($"{name}: filter-only pass (subreddit absent)", size,
                    ["dotnet", forumprefs, "ingest", "reddit-dump", compressed, "--db", filterDb, "--subreddit", "no_such_subreddit"], filterDb),
                new($"{name}: full ingest into the store", size, ["dotnet", forumprefs, "ingest", "reddit-dump", compressed, "--db", fullDb], fullDb),
            ];
            if (script is not null)
                stages.Add(new($"{name}: reference: plain Python ingest (json + zstandard + sqlite3)", size, [PythonReference.Python, script, compressed, pythonDb], pythonDb));
            var measured = Processes.MeasureInTurn([.. stages]);
            return new LayoutRows(name, measured[0], measured[1], measured[2], script is null ? null : measured[3]);
        }

        var legacyRows = Layout("2015 layout", true, out _, out _, out _);
        var modernRows = Layout("modern layout", false, out var modernPlain, out var modernCompressed, out var modernSize);

        // The same lines as two files (halves), for --jobs: one worker against two.
        var halves = SplitInTwo(modernPlain);
        foreach (var half in halves)
        {
            Processes.Run("zstd", $"-q -3 -T0 --long=31 \"{half}\" -o \"{half}.zst\"");
            File.Delete(half); // only its .zst is read
        }
        Processes.DropFromCache(modernPlain, halves[0] + ".zst", halves[1] + ".zst");
        Stage Jobs(string stage, int jobs, string name, params string[] extra)
        {
            var db = Path.Combine(folder, name);
            return new(stage, modernSize,
                ["dotnet", forumprefs, "ingest", "reddit-dump", halves[0] + ".zst", halves[1] + ".zst", "--jobs", $"{jobs}", "--db", db, .. extra], db);
        }
        var jobsFilter = Processes.MeasureInTurn(
            Jobs("modern layout: filter-only, same lines as 2 .zst files, --jobs 1", 1, "filter1.db", "--subreddit", "no_such_subreddit"),
            Jobs("modern layout: filter-only, same lines as 2 .zst files, --jobs 2", 2, "filter2.db", "--subreddit", "no_such_subreddit"));
        var jobsIngest = Processes.MeasureInTurn(
            Jobs("modern layout: full ingest, same lines as 2 .zst files, --jobs 1", 1, "jobs1.db"),
            Jobs("modern layout: full ingest, same lines as 2 .zst files, --jobs 2", 2, "jobs2.db"));
        return new Result(modernRows, legacyRows,
            Processes.Measure("modern layout: filter-only pass, managed decoder (--zstd managed)", modernSize, true, "dotnet", forumprefs, "ingest", "reddit-dump",
                modernCompressed, "--db", Path.Combine(folder, "filter-managed.db"), "--subreddit", "no_such_subreddit", "--zstd", "managed"),
            // The same lines uncompressed: what the reader itself holds, without a zstd window.
            Processes.Measure("modern layout: full ingest, same file uncompressed", modernSize, true, "dotnet", forumprefs, "ingest", "reddit-dump", modernPlain,
                "--db", Path.Combine(folder, "plain.db")),
            jobsFilter[0], jobsFilter[1], jobsIngest[0], jobsIngest[1],
            problem);
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

    /// <summary>Line n of a generated dump was created at FirstCreated + n × SecondsPerLine (Unix seconds).</summary>
    public const long FirstCreated = 1_600_000_000, SecondsPerLine = 3;

    /// <summary>
    /// Comment lines with the fields Reddit's dumps carry, most of them ones ForumPrefs never reads: the modern layout
    /// (2023–24 Arctic Shift: ~70 fields in alphabetical order) or, with <paramref name="legacy"/>, Pushshift's 2015 one
    /// (21 fields, created_utc as a string).
    /// </summary>
    public static void Generate(string path, long bytes, bool legacy = false)
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
            var created = FirstCreated + line * SecondsPerLine;
            if (legacy)
            {
                WriteLegacy(json, stream, random, words, text, subreddits, line, post, created);
                continue;
            }
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
            Body(random, words, text);
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

    /// <summary>A comment body of log-normal length (median about 150 characters, up to 10,000), into <paramref name="text"/>.</summary>
    private static void Body(Random random, string[] words, System.Text.StringBuilder text)
    {
        text.Clear();
        var length = (int)Math.Clamp(Math.Exp(5.0 + 1.1 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 1.6), 5, 10_000);
        while (text.Length < length)
            text.Append(words[random.Next(words.Length)]).Append(' ');
    }

    private static void WriteLegacy(Utf8JsonWriter json, Stream stream, Random random, string[] words, System.Text.StringBuilder text,
        string[] subreddits, long line, long post, long created)
    {
        var subreddit = subreddits[post % 20];
        if (line % 40 == 0)
        {
            json.Reset();
            json.WriteStartObject();
            json.WriteString("domain", $"self.{subreddit}"); json.WriteString("subreddit", subreddit); json.WriteString("selftext", "I wonder about it.");
            json.WriteString("id", $"p{post:x}"); json.WriteString("author", $"op{post}"); json.WriteNumber("score", 10 + random.Next(5000));
            json.WriteBoolean("over_18", false); json.WriteNumber("num_comments", 40); json.WriteString("title", $"Why does thing {post} happen?");
            json.WriteString("created_utc", (created - 600).ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteBoolean("is_self", true); json.WriteNumber("retrieved_on", created + 200_000); json.WriteBoolean("edited", false);
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
        }
        Body(random, words, text);
        var score = random.Next(-5, 2000);
        json.Reset();
        json.WriteStartObject();
        json.WriteBoolean("score_hidden", false); json.WriteString("name", $"t1_c{line:x}"); json.WriteString("link_id", $"t3_p{post:x}");
        json.WriteString("body", text.ToString()); json.WriteNumber("downs", 0);
        json.WriteString("created_utc", created.ToString(System.Globalization.CultureInfo.InvariantCulture));
        json.WriteNumber("score", score); json.WriteString("author", $"user{random.Next(1_000_000)}"); json.WriteNull("distinguished");
        json.WriteString("id", $"c{line:x}"); json.WriteBoolean("archived", false);
        json.WriteString("parent_id", line % 3 == 0 || line % 40 == 0 ? $"t3_p{post:x}" : $"t1_c{line - 1:x}");
        json.WriteString("subreddit", subreddit); json.WriteNull("author_flair_css_class"); json.WriteNull("author_flair_text");
        json.WriteNumber("gilded", 0); json.WriteNumber("retrieved_on", created + 200_000); json.WriteNumber("ups", score);
        json.WriteNumber("controversiality", 0); json.WriteString("subreddit_id", $"t5_{post % 20:x}"); json.WriteBoolean("edited", false);
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
