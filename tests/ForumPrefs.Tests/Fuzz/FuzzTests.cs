using ForumPrefs.Sources.Html;
using ForumPrefs.Sources.RedditApi;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Sources.StackExchange;
using ForumPrefs.Tests.Support;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Tests.Fuzz;

/// <summary>
/// Mutated real inputs for every reader: no crash (only the reader's own clear errors), no hang (a time bound per
/// input), and every bad record counted. CI runs a short campaign; FORUMPREFS_FUZZ_INPUTS=10000 runs the full one.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static void Campaign(string name, IReadOnlyList<byte[]> corpus, Action<byte[]> run, int seed)
    {
        var mutator = new Mutator(seed);
        for (var i = 0; i < Mutator.Inputs; i++)
        {
            var input = mutator.Mutate(corpus[i % corpus.Count]);
            var clock = Stopwatch.StartNew();
            var task = Task.Run(() => run(input));
            if (!task.Wait(Bound))
                Assert.Fail($"{name}: input {i} (seed {seed}) did not finish within {Bound.TotalSeconds} s");
            if (task.Exception is { } error)
                Assert.Fail($"{name}: input {i} (seed {seed}) crashed: {error.InnerException}");
        }
    }

    [SkippableFact]
    public void Dump_lines_never_crash_and_every_bad_line_has_a_kind()
    {
        var lines = File.ReadAllLines(Fixtures.File("pushshift/Paul-E_Pushshift-Importer/test_comments.json"))
            .Concat(File.ReadAllLines(Fixtures.File("pushshift/Paul-E_Pushshift-Importer/test_submissions.json")))
            .Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes).ToList();
        long good = 0, bad = 0;
        Campaign("dump line", lines, input =>
        {
            var result = DumpLineParser.Parse(input);
            if (result.Item is null)
            {
                Assert.False(string.IsNullOrEmpty(result.Problem));
                Interlocked.Increment(ref bad);
            }
            else
            {
                Interlocked.Increment(ref good);
            }
        }, seed: 1);
        Assert.True(bad > 0 && good > 0, $"{good} parsed, {bad} counted");
    }

    [SkippableFact]
    public void Dump_files_never_crash_the_reader()
    {
        var file = File.ReadAllBytes(Fixtures.File("pushshift/Paul-E_Pushshift-Importer/test_comments.json"));
        var path = _folder.File("fuzz.ndjson");
        long good = 0, bad = 0;
        Campaign("dump file", [file], input =>
        {
            lock (_folder)
            {
                File.WriteAllBytes(path, input);
                using var reader = new DumpLineReader(path, maxLineBytes: 100_000);
                while (reader.TryRead(out var line, out _))
                {
                    var result = DumpLineParser.Parse(line);
                    if (result.Item is null)
                        Assert.False(string.IsNullOrEmpty(result.Problem), "a skipped line without a reason");
                    _ = result.Item is null ? bad++ : good++;
                }
            }
        }, seed: 2);
        Assert.True(bad > 0 && good > 0, $"{good} lines parsed, {bad} counted as skipped");
    }

    [SkippableFact]
    public void Posts_xml_never_crashes_and_counts_what_it_skips()
    {
        var corpus = new[] { "stackexchange_dump/stat4decision_python-avr2017/Posts.xml", "stackexchange_dump/wenhaozheng-nju_2015challenge/Posts.xml" }
            .Select(f => File.ReadAllBytes(Fixtures.File(f))).ToList();
        var path = _folder.File("Posts.xml");
        var countedBroken = 0;
        Campaign("Posts.xml", corpus, input =>
        {
            lock (_folder)
            {
                File.WriteAllBytes(path, input);
                var reader = new PostsXmlReader("fuzz");
                var items = reader.Read(path).ToList();
                // Every row read is kept or counted under its kind; a file that breaks off is counted too, as one item.
                var unused = items.Where(i => i.Question is null && i.Answer is null).ToList();
                Assert.All(unused, i => Assert.NotNull(i.Skip));
                Assert.Equal(unused.Count, reader.Skipped.Values.Sum());
                countedBroken += reader.Skipped.Keys.Any(k => k is "malformed_xml" or "truncated_file" or "corrupt_file" or "bad_row") ? 1 : 0;
            }
        }, seed: 3);
        Assert.True(countedBroken > 0, "no mutated file was counted as broken");
    }

    [SkippableFact]
    public void Reddit_json_never_crashes_and_bad_responses_are_clear_errors()
    {
        const string cassettes = "reddit_api/praw-dev_praw";
        var page = File.ReadAllBytes(Fixtures.File($"{cassettes}/TestCommentForest.test_replace__all.bodies/14_GET_comments_3hahrw___cu5uyz1_raw_json=1-sort=confidence-limit=2048.json"));
        var listing = File.ReadAllBytes(Fixtures.File($"{cassettes}/TestSubredditListings.test_top.bodies/01_GET_r_askreddit_top_raw_json=1-limit=100-t=all.json"));
        long parsed = 0, refused = 0;
        Campaign("reddit json", [page, listing], input =>
        {
            try
            {
                var text = Encoding.UTF8.GetString(input);
                if (text.Contains("\"Listing\"") && !text.TrimStart().StartsWith('['))
                {
                    using var json = JsonDocument.Parse(text);
                    ListingReader.Parse(json.RootElement);
                }
                else
                {
                    CommentPage.Parse(text);
                }
                Interlocked.Increment(ref parsed);
            }
            catch (Exception ex) when (ex is JsonException or RedditApiException or ForumPrefs.Sources.Http.FetchFailedException { Kind: ForumPrefs.Sources.Http.FetchFailure.Unreadable })
            {
                // A clear error: malformed JSON (retried by the client) or a response of the wrong shape.
                Interlocked.Increment(ref refused);
            }
        }, seed: 4);
        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused");
    }

    [SkippableFact]
    public void Html_profiles_never_crash()
    {
        var reddit = File.ReadAllBytes(Fixtures.File("reddit_html/ris58h_blog-skipper/reddit.html"));
        var stackOverflow = File.ReadAllBytes(Fixtures.File("stackexchange_html/gleitz_howdoi/httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html"));
        var profiles = new[] { HtmlProfile.Load("old-reddit"), HtmlProfile.Load("stackexchange") };
        var i = -1; // input i is a mutation of corpus[i % 2]: give it that page's profile
        long parsed = 0, refused = 0;
        Campaign("html", [reddit, stackOverflow], input =>
        {
            var profile = profiles[Interlocked.Increment(ref i) % 2];
            try
            {
                HtmlThreadParser.Parse(Encoding.UTF8.GetString(input), profile, DateTimeOffset.UnixEpoch, "fuzz.html");
                Interlocked.Increment(ref parsed);
            }
            catch (HtmlProfileException)
            {
                // A clear error: the mutated page no longer has the profile's layout.
                Interlocked.Increment(ref refused);
            }
        }, seed: 5);
        Assert.True(parsed > 0, $"no mutated page parsed ({refused} refused)");
    }

    [Fact]
    public void Store_files_mutated_open_as_a_store_or_give_a_clear_error_and_a_refused_file_is_left_as_it_was()
    {
        // A real store, then mutated copies of its bytes: each opens, or is refused with a StoreException, never
        // another exception; a refused file keeps its bytes.
        var original = _folder.File("seed.db");
        using (var store = ForumPrefs.Store.ForumStore.Open(original))
            store.WriteThreads([Threads.Thread(Threads.T0.AddDays(2), Threads.Answer("c1", 5), Threads.Answer("c2", 9, 20))]);
        var seedBytes = File.ReadAllBytes(original);
        var foreign = _folder.File("foreign.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes(x); INSERT INTO notes VALUES(1);";
            command.ExecuteNonQuery();
        }
        long opened = 0, refused = 0;
        var i = 0;
        Campaign("store file", [seedBytes, File.ReadAllBytes(foreign)], input =>
        {
            var path = _folder.File($"fuzz{Interlocked.Increment(ref i)}.db");
            File.WriteAllBytes(path, input);
            try
            {
                using var store = ForumPrefs.Store.ForumStore.Open(path, create: false);
                _ = store.Fingerprint();
                Interlocked.Increment(ref opened);
            }
            catch (ForumPrefs.Store.StoreException)
            {
                Assert.Equal(input, File.ReadAllBytes(path));
                Interlocked.Increment(ref refused);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
            {
                // Damage deep in a page shows only when that page is read: the command line names it in one line.
                Assert.Contains("damaged", ForumPrefs.Store.ForumStore.Explain(ex));
                Interlocked.Increment(ref refused);
            }
            finally
            {
                foreach (var file in Directory.GetFiles(_folder.Path, Path.GetFileName(path) + "*"))
                    File.Delete(file);
            }
        }, seed: 5);
        Assert.True(refused > 0, $"{opened} opened, {refused} refused");
    }
}
