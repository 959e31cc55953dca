using Lingua;

namespace ForumPrefs.Pairing.Screens;

/// <summary>
/// A text's language as an ISO 639-1 code ("und" where it cannot be told), by Lingua over all its 79 languages in its
/// low-accuracy mode, on the first <see cref="MaxChars"/> characters. Forum questions and answers are mostly long enough
/// for that mode (Lingua's accuracy drops only below about 120 characters), and it loads a fraction of the models: the
/// measurements behind this choice are in README ("Language").
/// </summary>
public sealed class LanguageDetection
{
    public const string Undetermined = "und";
    public const int MaxChars = 1000;

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
