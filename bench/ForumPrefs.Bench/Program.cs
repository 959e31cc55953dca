using ForumPrefs.Bench;
using ForumPrefs.Cli;

// The language bench runs each Lingua configuration in a process of its own (Lingua shares loaded models in one).
if (args is [LanguageBenchmark.WorkerVerb, var config, var texts, var result])
    return LanguageBenchmark.Work(config, texts, result);
var io = CliIO.FromConsole();
try
{
    return await BenchApp.RunAsync(args, io);
}
finally
{
    try
    {
        // Into a pipe (| tail) the output is buffered: written out here, as forumprefs does.
        io.Out.Flush();
    }
    catch (IOException)
    {
        // The reader of the pipe left early: nothing more can reach it.
    }
}
