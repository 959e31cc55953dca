using Lingua;
using static Lingua.Language;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// A text's language as an ISO 639-1 code ("und" where it cannot be told), by Lingua, on the first
/// <see cref="MaxChars"/> characters. The model set and mode are chosen by <c>forumprefs-bench language</c> (README,
/// "Language").
/// </summary>
public sealed class LanguageDetection
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
        LanguageDetectorBuilder.FromAllLanguages().WithLowAccuracyMode().Build());

    private readonly LanguageDetector _detector;

    public LanguageDetection(LanguageDetector? detector = null) => _detector = detector ?? Shared.Value;

    public string Detect(string text)
    {
        var language = _detector.DetectLanguageOf(text.Length > MaxChars ? text[..MaxChars] : text);
        return language == Language.Unknown ? Undetermined : language.IsoCode6391().ToString().ToLowerInvariant();
    }
}
