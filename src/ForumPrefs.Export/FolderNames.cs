using ForumPrefs.Core;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;

namespace ForumPrefs.Export;

/// <summary>
/// Forum and source names come from data (a dump's subreddit, a page's data-subreddit, API JSON) and are never used
/// as paths as they are. A name that is a plain file-system word — letters, digits, '_', '-', '.', starting with a
/// letter or digit, at most 100 characters, no ".." (Reddit's own rule is [A-Za-z0-9_]{2,21}; Stack Exchange sites
/// are host names) — is kept; anything else is encoded as its safe characters plus a hash of the original, so it
/// stays inside the output folder and distinct from every other name.
/// </summary>
public static partial class FolderNames
{
    public static string For(Forum forum, bool withSource) =>
        withSource ? $"{Safe(forum.Source)}_{Safe(forum.Name)}" : Safe(forum.Name);

    public static string Safe(string name)
    {
        if (PlainWord().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal))
            return name;
        var kept = Unsafe().Replace(name, "_").Trim('_', '.', '-');
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(name)).ToString("x16")[..10];
        return $"{(kept.Length > 60 ? kept[..60] : kept)}-{hash}".TrimStart('_', '.', '-');
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex PlainWord();

    [GeneratedRegex(@"[^A-Za-z0-9_-]+")]
    private static partial Regex Unsafe();
}
