using Lingua;
using static Lingua.Language;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// A text's language as an ISO 639-1 code ("und" where it cannot be told), by Lingua on the first
/// <see cref="MaxChars"/> characters: the 40 languages of <see cref="WebLanguages"/> in low-accuracy mode, and "und"
/// for texts under <see cref="MinChars"/> characters. Chosen by <c>forumprefs-bench language</c> on r/GradSchool and
/// the beer site (README, "Fit to publish"): the fastest and smallest configuration, and with the length rule the one
/// with the fewest false detections.
/// </summary>
public sealed partial class LanguageDetection
{
    public const string Undetermined = "und";
    public const int MaxChars = 1000;

    /// <summary>
    /// The languages of nearly all web content (W3Techs' content-language list, the ones Lingua knows): the forums
    /// ForumPrefs reads are written in these. Leaving out languages no forum here is written in (Sotho, Maori, Welsh…)
    /// keeps short English questions from being called one of them.
    /// </summary>
    public static readonly Language[] WebLanguages =
    [
        English, Russian, Spanish, German, French, Japanese, Portuguese, Turkish, Italian, Persian, Dutch, Polish, Chinese,
        Vietnamese, Indonesian, Czech, Korean, Ukrainian, Arabic, Greek, Hebrew, Swedish, Romanian, Hungarian, Thai,
        Danish, Slovak, Finnish, Bulgarian, Serbian, Croatian, Bokmal, Lithuanian, Slovene, Catalan, Estonian, Latvian,
        Hindi, Bengali, Malay,
    ];

    private static readonly Lazy<LanguageDetector> Shared = new(() =>
        LanguageDetectorBuilder.FromLanguages(WebLanguages).WithLowAccuracyMode().Build());

    /// <summary>
    /// Texts shorter than this are "und": below about 120 characters Lingua's low-accuracy mode is unreliable (its
    /// README), and on our English-only forums most false detections were such texts ("Thank you!", a title alone).
    /// </summary>
    public const int MinChars = 120;

    private readonly LanguageDetector _detector;
    private readonly int _minChars;

    public LanguageDetection(LanguageDetector? detector = null, int minChars = MinChars)
    {
        _detector = detector ?? Shared.Value;
        _minChars = minChars;
    }

    public string Detect(string text)
    {
        // Links are not language: a Markdown link's URL made a German-beer question Dutch and a poll link a title Dutch.
        var words = Links().Replace(text.Length > 4 * MaxChars ? text[..(4 * MaxChars)] : text, " ").Trim();
        if (words.Length < _minChars)
            return Undetermined;
        var language = _detector.DetectLanguageOf(words.Length > MaxChars ? words[..MaxChars] : words);
        return language == Language.Unknown ? Undetermined : language.IsoCode6391().ToString().ToLowerInvariant();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)\b(?:https?|ftp)://\S+|\bwww\.\S+")]
    private static partial System.Text.RegularExpressions.Regex Links();
}
