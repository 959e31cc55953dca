using System.Globalization;
using System.Net.Http.Headers;

namespace ForumPrefs.Sources.Http;

/// <summary>
/// Waits a server asks for (Retry-After, a rate limit's reset, robots.txt's Crawl-delay), read so that no number can
/// crash a crawl: NaN, infinities and negatives are ignored, and anything longer than <see cref="Max"/> is cut to it
/// (the crawl asks again then; a user can always stop and resume later).
/// </summary>
public static class ServerWaits
{
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(15);

    /// <summary>Waits at least this long are said out loud.</summary>
    public static readonly TimeSpan Announced = TimeSpan.FromSeconds(10);

    /// <summary>Seconds as a bounded wait, or null when the number is not a usable one.</summary>
    public static TimeSpan? Seconds(double? seconds) =>
        seconds is not { } s || double.IsNaN(s) || s < 0 ? null
        : s >= Max.TotalSeconds ? Max
        : TimeSpan.FromSeconds(s);

    /// <summary>Seconds written as text (a header, a robots.txt line), read as <see cref="Seconds(double?)"/>.</summary>
    public static TimeSpan? Seconds(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? Seconds(value) : null;

    /// <summary>Retry-After as seconds or a date, bounded; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        // Read from the raw value: the typed parser turns a huge delta into a TimeSpan that then overflows a delay.
        if (!headers.TryGetValues("Retry-After", out var values) || values.FirstOrDefault() is not { } raw)
            return null;
        if (Seconds(raw) is { } wait)
            return wait;
        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? Clamp(date - now) : null;
    }

    /// <summary>A wait cut to [0, <see cref="Max"/>].</summary>
    public static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Max ? Max : wait;

    /// <summary>A robots.txt Crawl-delay worth saying (longer than the crawl's own interval, and 10 s or more), or null.</summary>
    public static string? CrawlDelayNotice(string host, TimeSpan? delay, TimeSpan interval) =>
        delay is { } d && d > interval && d >= Announced
            ? $"{host}'s robots.txt asks for {d.TotalSeconds:0} s between requests (at most {Max.TotalMinutes:0} min is kept to)"
            : null;

    /// <summary>"waiting 15 min as Reddit asks; Ctrl+C to stop and resume later".</summary>
    public static string Notice(TimeSpan wait, string who) =>
        $"waiting {Describe(wait)} as {who} asks; Ctrl+C to stop and resume later";

    private static string Describe(TimeSpan wait) =>
        wait >= TimeSpan.FromMinutes(1) ? $"{Math.Ceiling(wait.TotalMinutes):0} min" : $"{Math.Ceiling(wait.TotalSeconds):0} s";
}
