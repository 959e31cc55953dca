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
}
