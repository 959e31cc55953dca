using System.Text;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Decides from the raw bytes, without parsing JSON, whether a line can belong to one of the wanted subreddits:
/// every <c>"subreddit":"…"</c> occurrence is compared (a crosspost can nest another one), so a line is only
/// rejected when none matches. Lines it keeps are parsed in full, where the top-level field decides.
/// </summary>
public sealed class SubredditFilter
{
    private static readonly byte[] Key = "\"subreddit\":\""u8.ToArray();
    private readonly byte[][] _wanted;

    public SubredditFilter(IEnumerable<string> subreddits)
    {
        Names = subreddits.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).ToHashSet();
        _wanted = Names.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>The wanted names, lower-case.</summary>
    public IReadOnlySet<string> Names { get; }

    public bool MayMatch(ReadOnlySpan<byte> line)
    {
        var sawKey = false;
        while (true)
        {
            var at = line.IndexOf(Key);
            if (at < 0)
                return !sawKey; // no plain key at all (odd spacing): let the full parse decide
            sawKey = true;
            line = line[(at + Key.Length)..];
            var end = line.IndexOf((byte)'"');
            if (end < 0)
                return true;
            var value = line[..end];
            foreach (var wanted in _wanted)
                if (Ascii.EqualsIgnoreCase(value, wanted))
                    return true;
            line = line[end..];
        }
    }
}
