using ForumPrefs.Core;

namespace ForumPrefs.Sources.Simulation;

/// <summary>
/// The embedded default source: a deterministic forum whose answers have a known hidden quality.
/// Thread <c>i</c> depends only on the seed and <c>i</c>, so a run can resume at any index and get
/// exactly what an uninterrupted run would have written.
/// </summary>
public sealed class ForumSimulator(SimulatorSettings settings)
{
    private const int MaxAnswers = 120;
    private const int MaxDepth = 4;

    public SimulatorSettings Settings { get; } = settings;

    /// <param name="laterHours">Read the threads this many hours after their usual observation (a re-crawl).</param>
    public IEnumerable<ForumThread> Threads(int fromIndex, int toIndexExclusive, double laterHours = 0)
    {
        for (var i = fromIndex; i < toIndexExclusive; i++)
            yield return Thread(i, laterHours);
    }

    public ForumThread Thread(int index, double laterHours = 0) => Simulate(index, laterHours, null);

    /// <summary>
    /// The thread and its vote timeline: each visible answer's score when it was written (1, as on Reddit) and every
    /// <paramref name="everyHours"/> hours after the post until the thread is observed (which the thread itself is).
    /// </summary>
    public (ForumThread Thread, IReadOnlyList<SimulatedSighting> Timeline) WithTimeline(int index, double everyHours, double laterHours = 0)
    {
        var timeline = new List<SimulatedSighting>();
        var thread = Simulate(index, laterHours, (everyHours, timeline));
        return (thread, timeline);
    }

    private ForumThread Simulate(int index, double laterHours, (double Every, List<SimulatedSighting> Into)? timeline)
    {
        // Votes draw from their own stream so that observing later changes scores, never the text.
        var random = new Random(ThreadSeed(index));
        var votes = new Random(ThreadSeed(index) ^ 0x5bd1e995);
        var s = Settings;
        var forum = new Forum(SimulatorSettings.SourceName, s.Forums[index % s.Forums.Count]);
        var postId = "p" + ToBase36(index);
        var span = (s.LastPost - s.FirstPost).TotalSeconds;
        var created = s.FirstPost.AddSeconds(Math.Floor(random.NextDouble() * span));
        var (subject, title) = AnswerText.Title(random);
        var isSelf = random.NextDouble() >= s.LinkPostRate;
        var author = Draws.Chance(random, s.DeletedPostAuthorRate) ? DeletedContent.Deleted : User(random);
        var postScore = Math.Max(0, (int)Math.Round(Math.Exp(3.5 + 1.5 * Draws.Normal(random))));
        var observedHours = Draws.Chance(random, s.EarlyObservationRate)
            ? 4 + random.NextDouble() * 32
            : 72 + random.NextDouble() * 24 * 57;
        observedHours += laterHours;

        var observed = created.AddSeconds(Math.Round(observedHours * 3600));
        var answerCount = Math.Min(MaxAnswers, Draws.Poisson(random, 3 + 0.5 * Math.Pow(postScore, 0.6)));
        var arrival = new double[answerCount];
        var quality = new double[answerCount];
        for (var i = 0; i < answerCount; i++)
        {
            arrival[i] = 30 * Math.Pow(random.NextDouble(), 1.5);
            quality[i] = (random.NextDouble() + random.NextDouble()) / 2;
        }
        Array.Sort(arrival);
        var hourly = timeline is null ? null : new List<int[]>();
        var scores = VoteModel.Scores(votes, arrival, quality, 3.0 * Math.Max(postScore, 5), observedHours, hourly);

        var comments = new List<Comment>();
        var truth = new Dictionary<string, double>();
        var nextComment = 0;
        string NextId() => $"{postId}c{ToBase36(nextComment++)}";

        if (Draws.Chance(random, s.StickiedModCommentRate))
            comments.Add(new Comment(NextId(), postId, postId, 0, "Reminder: explain for laypeople, and be civil.",
                "AutoModerator", 1, created.AddMinutes(1), null, "moderator", true, false));

        for (var i = 0; i < answerCount; i++)
        {
            var id = NextId();
            var answerCreated = created.AddSeconds(Math.Round(arrival[i] * 3600));
            var answer = AnswerComment(random, id, postId, postId, 0, AnswerText.Answer(random, subject, quality[i]),
                scores[i], answerCreated, author);
            // An answer written after the observation time is generated (to keep the streams aligned) but not seen.
            if (arrival[i] <= observedHours)
            {
                comments.Add(answer);
                truth[id] = quality[i];
                if (timeline is { } t)
                    AddTimeline(t.Into, t.Every, postId, id, created, arrival[i], observedHours, i, hourly!);
            }
            AddReplies(random, votes, comments, answer, author, observed, NextId);
        }

        var post = new Post(
            Id: postId,
            Title: title,
            Body: isSelf ? AnswerText.PostBody(random, subject) : "",
            Author: author,
            Score: postScore,
            UpvoteRatio: Math.Round(0.55 + 0.44 * random.NextDouble(), 2),
            Created: created,
            Edited: Draws.Chance(random, s.EditedPostRate) ? created.AddMinutes(10 + random.Next(600)) : null,
            Over18: Draws.Chance(random, s.Over18Rate),
            IsSelf: isSelf,
            Distinguished: Draws.Chance(random, s.ModeratorPostRate) ? "moderator" : null,
            Url: isSelf ? $"https://forum.example/r/{forum.Name}/comments/{postId}/" : $"https://news.example/{subject.Replace(' ', '-')}",
            NumComments: comments.Count);
        return new ForumThread(forum, post, comments, observed, truth);
    }

    private static void AddTimeline(List<SimulatedSighting> into, double every, string postId, string id, DateTimeOffset postCreated,
        double arrivalHours, double observedHours, int answer, List<int[]> hourly)
    {
        into.Add(new SimulatedSighting(postId, id, postCreated.AddSeconds(Math.Round(arrivalHours * 3600)), 1));
        // hourly[h] holds the scores after the votes of hour h, i.e. at h + 1 hours after the post.
        for (var hours = every; hours < observedHours && hours - 1 < hourly.Count; hours += every)
        {
            if (hours <= arrivalHours)
                continue;
            var h = Math.Min((int)hours - 1, hourly.Count - 1);
            into.Add(new SimulatedSighting(postId, id, postCreated.AddSeconds(Math.Round(hours * 3600)), hourly[h][answer]));
        }
    }

    private Comment AnswerComment(Random random, string id, string postId, string parentId, int depth, string text,
        int score, DateTimeOffset created, string postAuthor)
    {
        var s = Settings;
        var roll = random.NextDouble();
        var author = User(random);
        string? distinguished = null;
        var body = text;
        if (roll < s.DeletedCommentRate)
            (author, body) = (DeletedContent.Deleted, random.NextDouble() < 0.5 ? DeletedContent.Deleted : text);
        else if ((roll -= s.DeletedCommentRate) < s.RemovedCommentRate)
            (author, body) = (DeletedContent.Deleted, DeletedContent.Removed);
        else if ((roll -= s.RemovedCommentRate) < s.ModeratorCommentRate)
            distinguished = "moderator";
        else if ((roll -= s.ModeratorCommentRate) < s.SubmitterReplyRate && postAuthor != DeletedContent.Deleted)
            author = postAuthor;
        var edited = Draws.Chance(random, s.EditedCommentRate) ? created.AddMinutes(1 + random.Next(120)) : (DateTimeOffset?)null;
        return new Comment(id, postId, parentId, depth, body, author, score, created, edited, distinguished, false,
            author == postAuthor);
    }

    /// <summary>
    /// Adds nested replies. Every reply is generated whether or not it exists yet at the observation time, so the
    /// text stream stays the same for any observation time; only visible ones are kept.
    /// </summary>
    private void AddReplies(Random random, Random votes, List<Comment> comments, Comment parent, string postAuthor,
        DateTimeOffset observed, Func<string> nextId)
    {
        if (parent.Depth + 1 > MaxDepth)
            return;
        var replies = Draws.Poisson(random, Settings.RepliesPerComment / (1 + parent.Depth));
        for (var r = 0; r < replies; r++)
        {
            var created = parent.Created.AddMinutes(5 + random.Next(600));
            var score = 1 + Draws.Poisson(votes, Math.Max(0, parent.Score) * 0.1) - Draws.Poisson(votes, 0.5);
            var reply = AnswerComment(random, nextId(), parent.PostId, parent.Id, parent.Depth + 1,
                AnswerText.Reply(random), score, created, postAuthor);
            if (created <= observed)
                comments.Add(reply);
            AddReplies(random, votes, comments, reply, postAuthor, observed, nextId);
        }
    }

    private int ThreadSeed(int index)
    {
        // SplitMix64 over (seed, index): neighbouring indices get unrelated streams.
        var z = unchecked((ulong)Settings.Seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    private static string User(Random random) => "user_" + ToBase36(random.Next(1, 5_000_000));

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        if (value == 0)
            return "0";
        var chars = new Stack<char>();
        for (; value > 0; value /= 36)
            chars.Push(digits[(int)(value % 36)]);
        return new string(chars.ToArray());
    }
}
