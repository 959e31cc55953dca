namespace ForumPrefs.Core;

/// <summary>OpenAssistant's message roles as its exports spell them (kept in each message's meta).</summary>
public static class OasstRoles
{
    public const string Prompter = "prompter";
    public const string Assistant = "assistant";
}
