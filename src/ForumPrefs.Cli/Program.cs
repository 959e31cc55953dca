using ForumPrefs.Cli;

var io = CliIO.FromConsole();
try
{
    return await ForumPrefsApp.RunAsync(args, io);
}
finally
{
    try
    {
        io.Out.Flush();
    }
    catch (IOException)
    {
        // The reader of a pipe left early (| head): nothing more can reach it.
    }
}
