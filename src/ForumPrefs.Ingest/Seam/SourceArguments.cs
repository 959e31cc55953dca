using ForumPrefs.Sources;
using System.Globalization;

namespace ForumPrefs.Ingest.Seam;

/// <summary>
/// The values given for a source's options, by option name (without dashes), as typed; <paramref name="resolve"/>
/// turns a path typed by the user into one from the working directory.
/// </summary>
public sealed class SourceArguments(IReadOnlyDictionary<string, string?> values, Func<string, string>? resolve = null)
{
    /// <summary>A file named by the option, from the working directory, when it exists; else the value as typed (a built-in name).</summary>
    public string? FileOrName(string name) =>
        Text(name) is not { } value ? null : (resolve ?? (v => v))(value) is var path && File.Exists(path) ? path : value;

    public string? Text(string name) => values.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    public string Required(string name) => Text(name) ?? throw new SourceUsageException($"--{name} is required");

    public bool Flag(string name) => Text(name) is { } value && bool.TryParse(value, out var flag) && flag;

    public int Number(string name, int fallback, int min = int.MinValue) =>
        Text(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n
        : throw new SourceUsageException($"--{name} must be a whole number{(min > int.MinValue ? $" of at least {min}" : "")}, not '{text}'");

    /// <summary>A date (UTC unless it says otherwise), or null when not given.</summary>
    public DateTimeOffset? Date(string name) =>
        Text(name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date.ToUniversalTime()
        : throw new SourceUsageException($"--{name} must be a date such as 2023-01-01, not '{text}'");
}
