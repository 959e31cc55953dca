namespace ForumPrefs.Core;

/// <summary>Reddit's markers for content removed by its author, a moderator or an account deletion.</summary>
public static class DeletedContent
{
    public const string Deleted = "[deleted]";
    public const string Removed = "[removed]";

    public static bool IsMarker(string? text) => text is Deleted or Removed;
}
