using System.Globalization;
using System.Text.RegularExpressions;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// Reads a score as a page shows it, in any language: the number at the start, whatever word follows ("690",
/// "690 points", "23 bodov", "1 bod", "12 Punkte", "45 指標", "−5", "1,234", "1 234", "1.234" (European grouping),
/// "1.2k", "3,4 k", "2M"). No per-language word lists. Text without a leading number — "[score hidden]" in any
/// language, "•", "Vote", an empty string — is no score: the caller stores the score as unknown, never guesses.
/// </summary>
public static partial class ScoreText
{
    public static int? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var match = Number().Match(text.Replace('\u2212', '-').Replace('\u00A0', ' ').Trim());
        if (!match.Success)
            return null;
        var digits = match.Groups["number"].Value.Replace(" ", "");
        var suffix = match.Groups["suffix"].Value.ToLowerInvariant();
        double value;
        if (suffix.Length > 0)
        {
            // With a k/M suffix a single comma or dot is the decimal mark ("1.2k", "3,4k").
            if (!double.TryParse(digits.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                return null;
            value *= suffix == "k" ? 1_000 : 1_000_000;
        }
        else
        {
            // Without one, commas and dots between digit groups of three are thousands separators.
            if (!GroupedInteger().IsMatch(digits))
                return null;
            value = double.Parse(digits.Replace(",", "").Replace(".", ""), CultureInfo.InvariantCulture);
        }
        if (match.Groups["sign"].Value == "-")
            value = -value;
        return value is > int.MaxValue or < int.MinValue ? null : (int)Math.Round(value);
    }

    // The number: digit groups of three split by ',', '.' or a space, or plain digits with an optional decimal part
    // (meaningful only before k/M). A k/M suffix counts only when no letter follows it ("12 kudos" is 12, "1.2k
    // points" is 1,200). Whatever comes after (a word in any language) is ignored.
    [GeneratedRegex(@"^(?<sign>[-+]?)\s*(?<number>\d{1,3}(?:[,. ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)\s*(?<suffix>[kKmM](?!\p{L}))?")]
    private static partial Regex Number();

    [GeneratedRegex(@"^\d{1,3}([,.]\d{3})*$|^\d+$")]
    private static partial Regex GroupedInteger();
}
