namespace ForumPrefs.Core;

/// <summary>One turn of a conversation, with the role names chat templates use ("user", "assistant").</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>Role names as chat templates and TRL's conversational format spell them.</summary>
public static class ChatRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";

    /// <summary>A conversation as one text, as preference datasets print it (Anthropic's HH style).</summary>
    public static string Transcript(IReadOnlyList<ChatTurn> turns) => turns.Count == 1
        ? turns[0].Content
        : string.Join("\n\n", turns.Select(t => $"{(t.Role == Assistant ? "Assistant" : "Human")}: {t.Content}"));
}
