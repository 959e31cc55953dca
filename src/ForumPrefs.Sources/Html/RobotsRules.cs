using System.Text.RegularExpressions;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// robots.txt as RFC 9309 reads it: the group for our user agent (else "*"), Allow/Disallow rules with * and $,
/// the longest match wins and Allow wins a tie; Crawl-delay is kept. Written here because no robots.txt parser is
/// served by our package registry.
/// </summary>
public sealed class RobotsRules
{
    private readonly List<(Regex Pattern, int Length, bool Allow)> _rules = [];

    public static readonly RobotsRules AllowAll = new();

    /// <summary>What an unreachable robots.txt (5xx) means under RFC 9309: nothing may be crawled.</summary>
    public static readonly RobotsRules DisallowAll = Parse("User-agent: *\nDisallow: /\n", "*");

    /// <summary>Google reads the first 500 KiB of a robots.txt; so do we.</summary>
    public const long MaxBytes = 512 * 1024;

    public TimeSpan? CrawlDelay { get; private set; }

    public static RobotsRules Parse(string text, string userAgent)
    {
        var token = userAgent.Split('/', ' ', ':')[0].ToLowerInvariant();
        var groups = new List<(List<string> Agents, List<string> Lines)>();
        var inAgents = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':');
            if (colon <= 0)
                continue;
            var (key, value) = (line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim());
            if (key == "user-agent")
            {
                if (!inAgents)
                    groups.Add(([], []));
                groups[^1].Agents.Add(value.ToLowerInvariant());
                inAgents = true;
            }
            else if (groups.Count > 0)
            {
                groups[^1].Lines.Add(line);
                inAgents = false;
            }
        }
        var chosen = groups.FirstOrDefault(g => g.Agents.Any(a => a != "*" && token.Contains(a)))
            .Lines ?? groups.FirstOrDefault(g => g.Agents.Contains("*")).Lines ?? [];
        var rules = new RobotsRules();
        foreach (var line in chosen)
        {
            var colon = line.IndexOf(':');
            var (key, value) = (line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim());
            if (key is "allow" or "disallow" && value.Length > 0)
                rules._rules.Add((ToRegex(value), value.Length, key == "allow"));
            else if (key == "crawl-delay" && Http.ServerWaits.Seconds(value) is { } delay)
                rules.CrawlDelay = delay; // bounded: a delay of 1e12 or NaN cannot crash the crawl
        }
        return rules;
    }

    public bool Allows(Uri url)
    {
        var path = url.PathAndQuery;
        var best = _rules.Where(r => r.Pattern.IsMatch(path)).OrderByDescending(r => r.Length).ThenByDescending(r => r.Allow).FirstOrDefault();
        return best.Pattern is null || best.Allow;
    }

    private static Regex ToRegex(string rule)
    {
        var anchored = rule.EndsWith('$');
        var body = Regex.Escape(anchored ? rule[..^1] : rule).Replace(@"\*", ".*");
        return new Regex("^" + body + (anchored ? "$" : ""), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
