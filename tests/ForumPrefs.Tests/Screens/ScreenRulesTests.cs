using ForumPrefs.Bench;
using ForumPrefs.Core;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Screens;

/// <summary>
/// The content rules on threads made of real r/GradSchool answers, with near-duplicates, templates, reposted questions
/// and other languages planted where the real data has none.
/// </summary>
public sealed class ScreenRulesTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2021, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IReadOnlyList<string> Real(int count) =>
        SampleTexts.Comments(Fixtures.File("reddit_college/RC_GradSchool.zst"), count, minWords: 25);

    /// <summary>A thread SHP pairs: the later answer out-scores the earlier one three to one.</summary>
    private static ForumThread Thread(Forum forum, string id, string question, params string[] answers)
    {
        var post = new Post(id, question, "", "asker", 50, 0.9, T0, null, false, true, null, null, answers.Length);
        var comments = answers.Select((text, i) => new Comment($"{id}c{i}", id, id, 0, text, $"user{i}", 3 + 3 * i,
            T0.AddMinutes(10 + i), null, null, false, false)).ToList();
        return new ForumThread(forum, post, comments, T0.AddDays(30));
    }

    private string Store(params ForumThread[] threads)
    {
        var path = _folder.File($"s{Guid.NewGuid():N}.db");
        using var store = ForumStore.Open(path);
        store.WriteThreads(threads);
        return path;
    }

    /// <summary>Pairs of a reposted question (a{i} and b{i}) that sit in different splits.</summary>
    private const string SplitApart = """
        SELECT count(*) FROM pairs x JOIN posts px ON px.pk = x.post_pk, pairs y JOIN posts py ON py.pk = y.post_pk
        WHERE px.forum_id <> py.forum_id AND substr(px.id, 2) = substr(py.id, 2) AND x.split <> y.split
        """;

    /// <summary>The text with one word added at its end: a near-duplicate of a long answer.</summary>
    private static string Edited(string text) => text + " indeed";

    [SkippableFact]
    public async Task Near_duplicate_answers_in_a_thread_are_not_paired_unless_kept()
    {
        var real = Real(3);
        var forum = new Forum("reddit", "gradschool");
        var db = Store(Thread(forum, "p1", real[0], real[1], Edited(real[1]), real[2]));

        var screened = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db);
        Assert.Equal(0, screened.ExitCode);
        Assert.Contains("near-duplicate answers", screened.Out);
        var kept = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--keep", "near-duplicates");
        Assert.DoesNotContain("near-duplicate answers", kept.Out);
        Assert.Equal(3L, Sql.Scalar(db, "SELECT count(*) FROM pairs"));
    }

    [SkippableFact]
    public async Task Answers_copied_into_many_threads_are_counted_and_dropped_beyond_max_answer_copies()
    {
        var real = Real(12);
        var forum = new Forum("reddit", "gradschool");
        var template = real[11];
        var db = Store(
            Thread(forum, "p1", real[0], real[1], template),
            Thread(forum, "p2", real[2], real[3], template),
            Thread(forum, "p3", real[4], real[5], Edited(template)),
            Thread(forum, "p4", real[6], real[7], real[8]));

        var counted = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db);
        Assert.Contains("answers whose text is in 3 or more threads (templates)", counted.Out);
        Assert.Equal(4L, Sql.Scalar(db, "SELECT count(*) FROM pairs"));
        var dropped = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--max-answer-copies", "2");
        Assert.Contains("template", dropped.Out);
        Assert.Equal(1L, Sql.Scalar(db, "SELECT count(*) FROM pairs"));
    }

    [SkippableFact]
    public async Task Reposted_questions_share_one_split_across_forums()
    {
        var real = Real(120);
        var a = new Forum("reddit", "gradschool");
        var b = new Forum("reddit", "askacademia");
        var threads = new List<ForumThread>();
        for (var i = 0; i < 40; i++)
        {
            threads.Add(Thread(a, $"a{i}", real[3 * i], real[3 * i + 1], real[3 * i + 2]));
            threads.Add(Thread(b, $"b{i}", Edited(real[3 * i]), real[3 * i + 2], real[3 * i + 1]));
        }
        var db = Store([.. threads]);
        var run = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("posts whose split is their question cluster's, not their own", run.Out);
        Assert.Equal(0L, Sql.Scalar(db, SplitApart));
        var apart = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--keep", "question-clusters");
        Assert.True(Sql.Scalar(db, SplitApart) > 0, apart.Out);
    }

    [SkippableFact]
    public async Task Language_is_detected_per_pair_and_language_keeps_only_those()
    {
        var real = Real(7);
        var forum = new Forum("reddit", "gradschool");
        const string german = "Ich habe meine Doktorarbeit fast fertig geschrieben, aber mein Betreuer antwortet seit Wochen nicht mehr auf meine Nachrichten. Was soll ich tun?";
        // p3's question is too short to tell alone: its answers tell it.
        var db = Store(Thread(forum, "p1", real[0], real[1], real[2]), Thread(forum, "p2", german, real[3], real[4]),
            Thread(forum, "p3", "What field are you in?", real[5], real[6]));

        await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db);
        Assert.Equal(["de", "en"], Sql.Column(db, "SELECT DISTINCT language FROM pairs ORDER BY 1"));
        var english = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--language", "en");
        Assert.Contains("question not in a --language language", english.Out);
        Assert.Equal(["en"], Sql.Column(db, "SELECT DISTINCT language FROM pairs"));
        Assert.Equal(1L, Sql.Scalar(db, "SELECT count(*) FROM pairs x JOIN posts p ON p.pk = x.post_pk WHERE p.id = 'p3'"));
        var bad = await Support.Cli.RunAsync(_folder.Path, "pairs", "--db", db, "--language", "english");
        Assert.Equal(2, bad.ExitCode);
    }
}
