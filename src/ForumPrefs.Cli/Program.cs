using ForumPrefs.Cli;

return await CliIO.RunOnConsoleAsync(io => ForumPrefsApp.RunAsync(args, io));
