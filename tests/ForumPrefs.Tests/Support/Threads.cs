using ForumPrefs.Core;

namespace ForumPrefs.Tests.Support;

/// <summary>Small hand-built threads for store and rule tests.</summary>
public static class Threads
{
    public static readonly DateTimeOffset T0 = new(2022, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Forum Forum = new("reddit", "explainlikeimfive");

    public static Post Post(string id = "p1", int score = 50) =>
        new(id, "Why is the sky blue?", "Asking for a friend.", "asker", score, 0.93, T0, null, false, true, null,
            $"https://reddit.com/comments/{id}/", 3);

    public static Comment Answer(string id, int score, int minutesAfterPost = 10, string postId = "p1",
        string body = "Because of Rayleigh scattering.", string author = "helper") =>
        new(id, postId, postId, 0, body, author, score, T0.AddMinutes(minutesAfterPost), null, null, false, false);

    public static Comment Reply(string id, Comment parent, int score = 2) =>
        new(id, parent.PostId, parent.Id, parent.Depth + 1, "Thanks!", "asker", score,
            parent.Created.AddMinutes(5), null, null, false, true);

    public static ForumThread Thread(DateTimeOffset observed, params Comment[] comments) =>
        new(Forum, Post(), comments, observed);
}
