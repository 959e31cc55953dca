using System.Globalization;
using System.Text.RegularExpressions;

namespace ForumPrefs.Sources.Html;

/// <summary>
/// Reads a score as a page shows it: "690", "690 points", "−5", "1,234", "1 234", "1.234" (European grouping),
/// "1.2k", "3,4 k", "2M". Anything else — "[score hidden]", "•", "Vote", an empty string — is no score: the caller
/// skips and counts it, never guesses.
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

    [GeneratedRegex(@"^(?<sign>[-+]?)\s*(?<number>\d[\d,. ]*?)\s*(?<suffix>[kKmM])?(\s*(points?|votes?|pts|Punkte|puntos|points|баллов))?$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^\d{1,3}([,.]\d{3})*$|^\d+$")]
    private static partial Regex GroupedInteger();
}
