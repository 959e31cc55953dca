using ForumPrefs.Core;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Store;

/// <summary>
/// Property: the same observations written in any order, in any batches, with duplicates, end in the same logical
/// store. The streams mix what real sources bring: re-crawls of whole threads (scores moving, text edited, comments
/// deleted, stale mirrors still showing removed text, pages that hide young scores) and dump-style items that arrive
/// apart with their depth unknown.
/// </summary>
public sealed class ObservationOrderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2023, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private abstract record Observation;
    private sealed record ThreadSighting(ForumThread Thread) : Observation;
    private sealed record ItemSighting(Forum Forum, Post? Post, Comment? Comment, DateTimeOffset Observed) : Observation;
    private sealed record ScoreOnly(Forum Forum, ScoreSighting Sighting) : Observation;

    [Fact]
    public void Any_order_of_the_same_observations_gives_the_same_store()
    {
        var observations = Streams(new Random(20261127));
        var reference = Write(observations, new Random(0), shuffle: false, "reference.db");
        Assert.True(reference.RowCounts["score_snapshots"] > 50, "the streams must exercise the score history");
        Assert.True(reference.RowCounts["comments"] > 40);

        const int orders = 200;
        for (var order = 1; order <= orders; order++)
        {
            var fingerprint = Write(observations, new Random(order), shuffle: true, $"order{order}.db");
            Assert.True(reference.ToString() == fingerprint.ToString(), $"order {order}: {fingerprint} differs from {reference}");
        }
    }

    /// <summary>
    /// Property: the observations split among three stores (as machines reading different files would), each store
    /// written in its own order, then merged in any order, give the store that read everything; merging a store again
    /// changes nothing.
    /// </summary>
    [Fact]
    public void Stores_holding_parts_of_the_observations_merge_into_the_store_of_all_of_them()
    {
        var observations = Streams(new Random(20261128));
        var reference = Write(observations, new Random(0), shuffle: false, "reference.db");
        const int trials = 40;
        for (var trial = 1; trial <= trials; trial++)
        {
            var random = new Random(trial);
            var parts = Enumerable.Range(0, 3).Select(_ => new List<Observation>()).ToArray();
            foreach (var observation in observations)
                parts[random.Next(parts.Length)].Add(observation);
            var paths = parts.Select((part, i) =>
            {
                var path = _folder.File($"trial{trial}-part{i}.db");
                using var store = ForumStore.Open(path);
                WriteInto(store, part, random, shuffle: true);
                store.ResolveDepths();
                return path;
            }).ToList();
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(paths));

            // Into one of the parts, or into an empty store; one part merged twice.
            var intoPart = trial % 2 == 0;
            var target = intoPart ? paths[0] : _folder.File($"trial{trial}-merged.db");
            using var merged = ForumStore.Open(target);
            foreach (var path in intoPart ? paths.Skip(1) : paths)
                merged.MergeFrom(path);
            var again = merged.MergeFrom(paths[^1]);
            Assert.Equal((0L, 0L, 0L), (again.PostsNew, again.CommentsNew, again.SnapshotsAdded));
            var fingerprint = merged.Fingerprint();
            Assert.True(reference.ToString() == fingerprint.ToString(), $"trial {trial}: {fingerprint} differs from {reference}");
        }
    }

    private StoreFingerprint Write(List<Observation> observations, Random random, bool shuffle, string name)
    {
        var path = _folder.File(name);
        using var store = ForumStore.Open(path);
        WriteInto(store, observations, random, shuffle);
        store.ResolveDepths();
        var fingerprint = store.Fingerprint();
        File.Delete(path);
        return fingerprint;
    }

    private static void WriteInto(ForumStore store, List<Observation> observations, Random random, bool shuffle)
    {
        var list = observations.ToList();
        if (shuffle && list.Count > 0)
        {
            // Duplicate a few observations (a file read twice, a retried request), then shuffle everything.
            list.AddRange(Enumerable.Range(0, 10).Select(_ => list[random.Next(list.Count)]));
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        }
        for (var start = 0; start < list.Count;)
        {
            var size = shuffle ? random.Next(1, 12) : list.Count;
            var batch = list.Skip(start).Take(size).ToList();
            start += size;
            store.WriteThreads(batch.OfType<ThreadSighting>().Select(t => t.Thread).ToList());
            var items = batch.OfType<ItemSighting>().ToList();
            store.WriteItems(
                items.Where(i => i.Post is not null).Select(i => (i.Forum, i.Post!, i.Observed)),
                items.Where(i => i.Comment is not null).Select(i => (i.Forum, i.Comment!, i.Observed)));
            foreach (var forum in batch.OfType<ScoreOnly>().GroupBy(s => s.Forum))
                store.WriteSightings(forum.Key, forum.Select(s => s.Sighting).ToList());
        }
    }

    // Tags and meta change over the days, and the newest sightings (day 7, a mirror that shows neither) carry none:
    // they must end as the newest sighting that carried them left them, whichever came first.
    private static List<string> Tags(int day) => day switch { < 3 or 7 => [], < 5 => ["physics", "light"], _ => ["physics", "optics"] };

    private static string? Extra(int day) => day is 1 or 7 ? null : $$"""{"day":{{day}}}""";

    /// <summary>Observation streams for a few threads; an item's content is a function of the sighting time.</summary>
    private static List<Observation> Streams(Random random)
    {
        var observations = new List<Observation>();
        var forums = new[] { new Forum("reddit", "askscience"), new Forum("reddit", "explainlikeimfive") };
        for (var t = 0; t < 6; t++)
        {
            var forum = forums[t % 2];
            var postId = $"p{t}";
            var answers = Enumerable.Range(0, 8).Select(i => new
            {
                Id = $"{postId}c{i}",
                Parent = i < 5 ? postId : $"{postId}c{i - 5}",
                Created = T0.AddMinutes(10 * i),
                Rate = random.Next(0, 40),
                DeletedAfterDay = random.Next(0, 4) == 0 ? random.Next(1, 6) : (int?)null,
                EditedOnDay = random.Next(0, 5) == 0 ? random.Next(1, 6) : (int?)null,
            }).ToList();
            for (var day = 0; day < 8; day++)
            {
                var seen = T0.AddDays(day).AddHours(t);
                var stale = day == 7; // a mirror that still shows what was removed
                var comments = answers.Select(a =>
                {
                    var deleted = !stale && a.DeletedAfterDay is { } d && day >= d;
                    var edited = a.EditedOnDay is { } e && day >= e;
                    var body = deleted ? DeletedContent.Removed : edited ? $"Edited answer {a.Id}" : $"Answer {a.Id}";
                    var depth = a.Parent == postId ? 0 : 1;
                    return new Comment(a.Id, postId, a.Parent, depth, body, deleted ? DeletedContent.Deleted : $"user{a.Id}",
                        1 + a.Rate * day, a.Created, edited ? T0.AddDays(a.EditedOnDay!.Value) : null, null, false, false)
                    { ScoreHidden = day == 0 && a.Rate % 3 == 0, Meta = Extra(day) };
                }).ToList();
                var post = new Post(postId, $"Question {t}", "Body", "asker", 10 + 7 * day, 0.9, T0, null, false, true, null, null,
                    comments.Count)
                { Tags = Tags(day), Meta = Extra(day) };
                if (day % 3 == 2)
                {
                    // A dump-style sighting: the post and each comment apart, depths not known yet.
                    observations.Add(new ItemSighting(forum, post, null, seen));
                    observations.AddRange(comments.Select(c => new ItemSighting(forum, null, c with { Depth = -1 }, seen)));
                }
                else
                {
                    observations.Add(new ThreadSighting(new ForumThread(forum, post, comments, seen,
                        comments.ToDictionary(c => c.Id, c => (double)c.Id.Length))));
                }
                if (day == 7)
                {
                    // Another copy read at the same second that says otherwise (two mirrors of one crawl): whichever
                    // is written last, the store must end the same.
                    var mirror = comments.Select(c => c with
                    {
                        Body = c.Body == DeletedContent.Removed ? c.Body : $"Mirrored {c.Id}", Author = c.Author + "_m",
                        Edited = c.Edited is null ? T0.AddDays(4) : null, Distinguished = c.Id.EndsWith('1') ? "moderator" : null,
                        Stickied = !c.Stickied, Score = c.Score + 3,
                    }).ToList();
                    var mirrorPost = post with { Title = $"Question {t}, mirrored", Url = "https://example.org/q", UpvoteRatio = null };
                    observations.Add(new ThreadSighting(new ForumThread(forum, mirrorPost, mirror, seen,
                        mirror.ToDictionary(c => c.Id, c => (double)c.Id.Length))));
                }
                // Vote-timeline points between sightings (Votes.xml, the simulator): scores alone, half a day later.
                observations.AddRange(comments.Where(c => !c.ScoreHidden).Select(c =>
                    new ScoreOnly(forum, new ScoreSighting(false, postId, c.Id, seen.AddHours(12), c.Score + 1))));
                observations.Add(new ScoreOnly(forum, new ScoreSighting(true, postId, postId, seen.AddHours(12), post.Score + 1)));
            }
        }
        return observations;
    }
}
