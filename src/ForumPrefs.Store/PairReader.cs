using ForumPrefs.Core;

namespace ForumPrefs.Store;

/// <summary>
/// Reads a run's pairs back with their texts as stored now, post by post: the texts of a post and its comments (at
/// any depth: `pairs --keep nested` pairs replies too) are read once per post, not once per pair. A pair whose answer was deleted since the run was built is skipped and
/// counted: deleted content must leave every export.
/// </summary>
public static class PairReader
{
    public sealed class Counts
    {
        public long SkippedDeleted { get; set; }
    }

    private sealed record PostText(string Id, string History, double? UpvoteRatio, string? Url, string Body);

    private sealed record AnswerText(string Id, string Text, string Author, DateTimeOffset Created, double? Quality, string ParentId, string? Role);

    public static IEnumerable<PreferencePair> Read(ForumStore store, PairRun run, Counts counts)
    {
        var connection = store.Connection;
        using var pairs = connection.CreateCommand();
        pairs.CommandText = """
            SELECT post_pk, preferred_pk, other_pk, preferred_score, other_score, score_ratio, margin, split, preferred_is_a,
                   window_preferred, window_other, window_seconds
            FROM pairs WHERE run_id = $run ORDER BY post_pk, preferred_pk, other_pk
            """;
        pairs.Parameters.AddWithValue("$run", run.Id);
        using var post = connection.CreateCommand();
        post.CommandText = "SELECT forum_id, id, title, body, upvote_ratio, url FROM posts WHERE pk = $pk";
        var postKey = post.Parameters.Add("$pk", Microsoft.Data.Sqlite.SqliteType.Integer);
        using var answers = connection.CreateCommand();
        answers.CommandText = """
            SELECT c.pk, c.id, c.body, c.author, c.created_utc, g.quality, c.parent_id, json_extract(c.meta, '$.role')
            FROM comments c LEFT JOIN ground_truth g ON g.comment_pk = c.pk
            WHERE c.forum_id = $forum AND c.post_id = $post
            """;
        var answersForum = answers.Parameters.Add("$forum", Microsoft.Data.Sqlite.SqliteType.Integer);
        var answersPost = answers.Parameters.Add("$post", Microsoft.Data.Sqlite.SqliteType.Text);

        long currentPost = -1;
        PostText? postText = null;
        var texts = new Dictionary<long, AnswerText>();
        var byId = new Dictionary<string, AnswerText>();
        // OpenAssistant answers reply to a conversation: its turns come from the parent links.
        var conversational = run.Forum.Source == SourceNames.OpenAssistant;
        using var r = pairs.ExecuteReader();
        while (r.Read())
        {
            var postPk = r.GetInt64(0);
            if (postPk != currentPost)
            {
                currentPost = postPk;
                postKey.Value = postPk;
                (postText, var forumId) = ReadPost(post);
                answersForum.Value = forumId;
                answersPost.Value = postText.Id;
                ReadAnswers(answers, texts);
                byId.Clear();
                if (conversational)
                    foreach (var text in texts.Values)
                        byId[text.Id] = text;
            }
            if (!texts.TryGetValue(r.GetInt64(1), out var preferred) || !texts.TryGetValue(r.GetInt64(2), out var other)
                || DeletedContent.IsMarker(preferred.Text) || DeletedContent.IsMarker(other.Text))
            {
                counts.SkippedDeleted++;
                continue;
            }
            var conversation = conversational ? Conversation(postText!, preferred, byId) : null;
            yield return new PreferencePair(run.Forum, postText!.Id, conversation is null ? postText.History : ChatRoles.Transcript(conversation),
                postText.UpvoteRatio, postText.Url,
                new PairedAnswer(preferred.Id, preferred.Text, preferred.Author, r.GetInt32(3), preferred.Created, preferred.Quality),
                new PairedAnswer(other.Id, other.Text, other.Author, r.GetInt32(4), other.Created, other.Quality),
                r.GetDouble(5), r.GetDouble(6), Enum.Parse<Split>(r.GetString(7), ignoreCase: true), r.GetInt64(8) != 0,
                r.IsDBNull(9) ? null : new PairWindow(r.GetInt32(9), r.GetInt32(10), r.GetInt64(11)))
            { Conversation = conversation };
        }
    }

    /// <summary>The first prompt, then every turn from it down to the answer's parent.</summary>
    private static IReadOnlyList<ChatTurn> Conversation(PostText post, AnswerText answer, Dictionary<string, AnswerText> byId)
    {
        var turns = new List<ChatTurn>();
        var seen = new HashSet<string>();
        for (var id = answer.ParentId; id != post.Id && byId.TryGetValue(id, out var turn) && seen.Add(id); id = turn.ParentId)
            turns.Add(new ChatTurn(turn.Role == ChatRoles.Assistant ? ChatRoles.Assistant : ChatRoles.User, turn.Text));
        turns.Add(new ChatTurn(ChatRoles.User, post.Body));
        turns.Reverse();
        return turns;
    }

    private static (PostText Post, long ForumId) ReadPost(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        if (!r.Read())
            throw new StoreException("the store is inconsistent: a pair names a post that does not exist");
        var (title, body) = (r.GetString(2), r.GetString(3));
        var history = DeletedContent.IsMarker(body) || body.Length == 0 ? title : $"{title}\n\n{body}";
        return (new PostText(r.GetString(1), history, r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5), body), r.GetInt64(0));
    }

    private static void ReadAnswers(Microsoft.Data.Sqlite.SqliteCommand command, Dictionary<long, AnswerText> texts)
    {
        texts.Clear();
        using var r = command.ExecuteReader();
        while (r.Read())
            texts[r.GetInt64(0)] = new AnswerText(r.GetString(1), r.GetString(2), r.GetString(3),
                DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetDouble(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7));
    }
}
