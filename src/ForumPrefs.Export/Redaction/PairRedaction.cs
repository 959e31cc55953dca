using ForumPrefs.Core;

namespace ForumPrefs.Export.Redaction;

/// <summary>
/// Redacts a pair's texts (question, conversation turns, both answers). A post's texts meet in many pairs, so each is
/// redacted, and counted, once per post.
/// </summary>
internal sealed class PairRedaction(PiiRedactor redactor)
{
    private readonly Dictionary<string, string> _done = new(StringComparer.Ordinal);
    private string? _post;

    public PiiRedactor Redactor => redactor;

    public PreferencePair Apply(PreferencePair pair)
    {
        if (redactor.Kinds.Count == 0)
            return pair;
        if (pair.PostId != _post)
        {
            _done.Clear();
            _post = pair.PostId;
        }
        return pair with
        {
            History = Redact(pair.History),
            Preferred = pair.Preferred with { Text = Redact(pair.Preferred.Text) },
            Other = pair.Other with { Text = Redact(pair.Other.Text) },
            Conversation = pair.Conversation?.Select(t => t with { Content = Redact(t.Content) }).ToList(),
        };
    }

    private string Redact(string text)
    {
        if (!_done.TryGetValue(text, out var redacted))
            _done[text] = redacted = redactor.Redact(text);
        return redacted;
    }
}
