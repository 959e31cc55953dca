using PhoneNumbers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ForumPrefs.Export.Redaction;

/// <summary>
/// Replaces personal data in exported text by typed placeholders: e-mail addresses, phone numbers (libphonenumber:
/// international numbers anywhere, national ones in the formats of <see cref="Regions"/>), IPv4 and IPv6 addresses
/// (each checked as an address), and user mentions (u/name and /u/name; @name where the source uses it). Code (fenced
/// blocks, indented blocks, inline code) and URLs are left as they are, so a version number, a path or a link is never
/// rewritten. Precision and recall on a labelled sample are in README ("Personal data").
/// </summary>
public sealed partial class PiiRedactor(IReadOnlySet<PiiKind> kinds, bool atMentions)
{
    /// <summary>National phone formats tried, besides any number written with its +country code.</summary>
    public static readonly string[] Regions = ["US", "GB", "DE", "FR", "IN", "AU"];

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private readonly long[] _counts = new long[PiiKinds.All.Length];

    public IReadOnlySet<PiiKind> Kinds => kinds;
    public long Count(PiiKind kind) => _counts[(int)kind];

    public string Redact(string text)
    {
        if (kinds.Count == 0 || text.Length == 0)
            return text;
        var protectedSpans = Protected(text);
        var found = new List<(int Start, int Length, PiiKind Kind)>();
        void Add(int start, int length, PiiKind kind)
        {
            if (!kinds.Contains(kind) || Overlaps(protectedSpans, start, length) || found.Any(f => start < f.Start + f.Length && f.Start < start + length))
                return;
            found.Add((start, length, kind));
        }
        foreach (Match m in EmailPattern().Matches(text))
            Add(m.Index, m.Length, PiiKind.Email);
        foreach (Match m in Ipv4Pattern().Matches(text))
            if (IsIpv4(m.Value) && !VersionBefore(text, m.Index))
                Add(m.Index, m.Length, PiiKind.Ip);
        foreach (Match m in Ipv6Pattern().Matches(text))
            if (IPAddress.TryParse(m.Value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 && m.Value.Contains(':'))
                Add(m.Index, m.Length, PiiKind.Ip);
        if (kinds.Contains(PiiKind.Phone) && DigitsEnough(text))
            foreach (var region in Regions)
                foreach (var match in Phones.FindNumbers(text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
                    if (!IsbnOrDateAround(text, match.Start, match.Length))
                        Add(match.Start, match.Length, PiiKind.Phone);
        foreach (Match m in RedditUserPattern().Matches(text))
            Add(m.Index, m.Length, PiiKind.User);
        if (atMentions)
            foreach (Match m in AtMentionPattern().Matches(text))
                Add(m.Index, m.Length, PiiKind.User);
        if (found.Count == 0)
            return text;

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var output = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, length, kind) in found)
        {
            output.Append(text, at, start - at).Append(PiiKinds.Placeholder(kind));
            _counts[(int)kind]++;
            at = start + length;
        }
        return output.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Code and URLs: spans nothing is redacted in.</summary>
    private static List<(int Start, int End)> Protected(string text)
    {
        var spans = new List<(int, int)>();
        foreach (var pattern in new[] { FencePattern(), IndentedCodePattern(), InlineCodePattern(), UrlPattern() })
            foreach (Match m in pattern.Matches(text))
                spans.Add((m.Index, m.Index + m.Length));
        return spans;
    }

    private static bool Overlaps(List<(int Start, int End)> spans, int start, int length)
    {
        foreach (var (s, e) in spans)
            if (start < e && s < start + length)
                return true;
        return false;
    }

    private static bool IsIpv4(string value) => value.Split('.').All(p => p.Length <= 3 && int.Parse(p) <= 255 && (p.Length == 1 || p[0] != '0'));

    /// <summary>"version 1.2.3.4", "v1.2.3.4": a version number, not an address.</summary>
    private static bool VersionBefore(string text, int index)
    {
        var before = text.AsSpan(Math.Max(0, index - 10), index - Math.Max(0, index - 10)).TrimEnd();
        return before.EndsWith("v", StringComparison.OrdinalIgnoreCase) || before.EndsWith("version", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("ver.", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An ISBN (its label before, or a 978/979 prefix) or a date-like run of digits is not a phone number.</summary>
    private static bool IsbnOrDateAround(string text, int start, int length)
    {
        var before = text.AsSpan(Math.Max(0, start - 12), start - Math.Max(0, start - 12));
        if (before.Contains("ISBN", StringComparison.OrdinalIgnoreCase) || before.Contains("DOI", StringComparison.OrdinalIgnoreCase))
            return true;
        var candidate = text.AsSpan(start, length);
        return DatePattern().IsMatch(candidate) || IsbnPattern().IsMatch(candidate);
    }

    private static bool DigitsEnough(string text)
    {
        var digits = 0;
        foreach (var c in text)
            if (char.IsAsciiDigit(c) && ++digits >= 7)
                return true;
        return false;
    }

    [GeneratedRegex(@"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w@])")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")]
    private static partial Regex Ipv6Pattern();

    [GeneratedRegex(@"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b")]
    private static partial Regex RedditUserPattern();

    [GeneratedRegex(@"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.-]{1,30}[A-Za-z0-9_]")]
    private static partial Regex AtMentionPattern();

    [GeneratedRegex(@"(?ms)^[ \t]*(```|~~~).*?(^[ \t]*\1[ \t]*$|\z)")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"(?m)(?:^(?: {4}|\t).*(?:\n|\z))+")]
    private static partial Regex IndentedCodePattern();

    [GeneratedRegex(@"`[^`\n]+`")]
    private static partial Regex InlineCodePattern();

    [GeneratedRegex(@"(?i)\b(?:https?|ftp)://[^\s<>()\[\]""]+|\bwww\.[^\s<>()\[\]""]+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*$|^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s*$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^\s*97[89][- ]?\d")]
    private static partial Regex IsbnPattern();
}
