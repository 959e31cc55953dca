using ForumPrefs.Cli.Output;
using System.CommandLine;

namespace ForumPrefs.Cli;

/// <summary>Options every verb spells the same way.</summary>
internal static class CommonOptions
{
    public static Option<string> Db() => new("--db")
    {
        Description = "SQLite store to use",
        HelpName = "PATH",
        DefaultValueFactory = _ => "forumprefs.db",
    };

    public static Option<ResultFormat> Format() => new("--format")
    {
        Description = "How results are printed: table, csv or json",
        HelpName = "table|csv|json",
        DefaultValueFactory = _ => ResultFormat.Table,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Enum.TryParse<ResultFormat>(text, ignoreCase: true, out var format) && !char.IsDigit(text.FirstOrDefault()))
                return format;
            result.AddError($"--format must be table, csv or json, not '{text}'");
            return default;
        },
    };

    public static Option<int> Seed(int fallback = 42) => new("--seed")
    {
        Description = "Seed that fixes every random choice",
        DefaultValueFactory = _ => fallback,
    };

    /// <summary>One bound for every crawl: the one the Discourse source declares for its sites.</summary>
    public const double DefaultMaxResponseMb = ForumPrefs.Ingest.Discourse.DiscourseSource.DefaultMaxResponseMb;

    /// <summary>The bound on one API response, as every crawl's --max-response-mb spells it.</summary>
    public static Option<double> MaxResponseMb()
    {
        var option = new Option<double>("--max-response-mb")
        {
            Description = "Responses larger than this (decompressed) are skipped and counted as too big",
            HelpName = "MB", DefaultValueFactory = _ => DefaultMaxResponseMb,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var mb && !(mb > 0 && mb <= 4096))
                result.AddError($"--max-response-mb must be more than 0 and at most 4096, not {mb}");
        });
        return option;
    }

    public static long Bytes(double megabytes) => (long)(megabytes * 1024 * 1024);

    /// <summary>The longest wait or timeout an option may ask for: longer ones are mistakes (and overflow timers).</summary>
    public const double MaxSeconds = 86_400;

    /// <summary>A number of seconds, from 0 to a day; anything else is a usage error naming the option.</summary>
    public static Option<double> Seconds(string name, string description, double fallback)
    {
        var option = new Option<double>(name) { Description = description, HelpName = "SECONDS", DefaultValueFactory = _ => fallback };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var seconds && !(seconds >= 0 && seconds <= MaxSeconds))
                result.AddError($"{name} must be between 0 and {MaxSeconds:0} seconds, not {seconds}");
        });
        return option;
    }

    /// <summary>
    /// Every number option of every verb refuses NaN and infinities at parse time (exit 2), before any work: a NaN
    /// compares false with every bound, so range checks alone let it through.
    /// </summary>
    public static void RequireFiniteNumbers(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option is Option<double> real)
                real.Validators.Add(result => Finite(result, option.Name, result.GetValueOrDefault<double>()));
            else if (option is Option<double?> optional)
                optional.Validators.Add(result => Finite(result, option.Name, result.GetValueOrDefault<double?>()));
        }
        foreach (var sub in command.Subcommands)
            RequireFiniteNumbers(sub);
    }

    private static void Finite(System.CommandLine.Parsing.OptionResult result, string name, double? value)
    {
        if (value is { } v && !double.IsFinite(v))
            result.AddError($"{name} must be a finite number, not {v}");
    }
}
