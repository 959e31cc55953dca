using ForumPrefs.Cli;

return await ForumPrefsApp.RunAsync(args, CliIO.FromConsole());
