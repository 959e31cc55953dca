using ForumPrefs.Core;
using ForumPrefs.Store;
using ForumPrefs.Store.Reads;

namespace ForumPrefs.Export;

/// <summary>
/// Turns a run's stored rows into the pairs an export writes: the question's history (title, then body), the two
/// answers, and for OpenAssistant the conversation down to the answers. A pair whose answer was deleted since the run
/// was built is left out and counted: deleted content must leave every export.
/// </summary>
public static class PairAssembler
{
    public sealed class Counts
    {
        public long SkippedDeleted { get; set; }
    }

    public static IEnumerable<PreferencePair> Read(ForumStore store, PairRun run, Counts counts)
    {
        // OpenAssistant answers reply to a conversation: its turns come from the parent links.
        var conversational = run.Forum.Source == SourceNames.OpenAssistant;
        foreach (var (post, answers, pairs) in PairRowReader.Read(store, run))
        {
            var history = DeletedContent.IsMarker(post.Body) || post.Body.Length == 0 ? post.Title : $"{post.Title}\n\n{post.Body}";
            var byId = conversational ? answers.Values.ToDictionary(a => a.Id) : null;
            foreach (var p in pairs)
            {
                if (!answers.TryGetValue(p.PreferredPk, out var preferred) || !answers.TryGetValue(p.OtherPk, out var other)
                    || DeletedContent.IsMarker(preferred.Text) || DeletedContent.IsMarker(other.Text))
                {
                    counts.SkippedDeleted++;
                    continue;
                }
                var conversation = byId is null ? null : Conversation(post, preferred, byId);
                yield return new PreferencePair(run.Forum, post.Id, conversation is null ? history : ChatRoles.Transcript(conversation),
                    post.UpvoteRatio, post.Url,
                    new PairedAnswer(preferred.Id, preferred.Text, preferred.Author, p.PreferredScore, preferred.Created, preferred.Quality),
                    new PairedAnswer(other.Id, other.Text, other.Author, p.OtherScore, other.Created, other.Quality),
                    p.ScoreRatio, p.Margin, p.Split, p.PreferredIsA, p.Window)
                {
                    Conversation = conversation, Language = p.Language,
                    Attribution = new PairAttribution(Licences.Question(run.Forum, post), Licences.Answer(run.Forum, post, preferred),
                        Licences.Answer(run.Forum, post, other)),
                };
            }
        }
    }

    /// <summary>The first prompt, then every turn from it down to the answer's parent.</summary>
    private static IReadOnlyList<ChatTurn> Conversation(PostRow post, AnswerRow answer, Dictionary<string, AnswerRow> byId)
    {
        var turns = new List<ChatTurn>();
        var seen = new HashSet<string>();
        for (var id = answer.ParentId; id != post.Id && byId.TryGetValue(id, out var turn) && seen.Add(id); id = turn.ParentId)
            turns.Add(new ChatTurn(turn.Role == ChatRoles.Assistant ? ChatRoles.Assistant : ChatRoles.User, turn.Text));
        turns.Add(new ChatTurn(ChatRoles.User, post.Body));
        turns.Reverse();
        return turns;
    }
}
