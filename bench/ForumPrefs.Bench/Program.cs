using ForumPrefs.Bench;
using ForumPrefs.Cli;

return await BenchApp.RunAsync(args, CliIO.FromConsole());
