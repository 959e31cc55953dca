using System.Globalization;

namespace ForumPrefs.Cli;

/// <summary>Option values every verb reads the same way.</summary>
internal static class OptionValues
{
    /// <summary>A date or date-time, UTC unless it says otherwise; a bad value is a usage error naming the option.</summary>
    public static DateTimeOffset? Date(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date
        : throw new UsageException($"{option} must be a date such as 2023-01-01, not '{text}'");
}
