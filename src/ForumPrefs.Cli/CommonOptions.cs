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
        DefaultValueFactory = _ => ResultFormat.Table,
    };

    public static Option<int> Seed(int fallback = 42) => new("--seed")
    {
        Description = "Seed that fixes every random choice",
        DefaultValueFactory = _ => fallback,
    };
}
