namespace ForumPrefs.Core;

/// <summary>The <see cref="Forum.Source"/> of each kind of forum; policies and exports choose by it.</summary>
public static class SourceNames
{
    public const string Reddit = "reddit";
    public const string StackExchange = "stackexchange";
    public const string Simulator = "simulator";
    public const string OpenAssistant = "oasst";
    public const string Discourse = "discourse";
}
