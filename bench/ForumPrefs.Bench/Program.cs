using ForumPrefs.Bench;
using ForumPrefs.Cli;

// The language bench runs each Lingua configuration in a process of its own (Lingua shares loaded models in one).
if (args is [LanguageBenchmark.WorkerVerb, var config, var texts, var result])
    return LanguageBenchmark.Work(config, texts, result);
return await CliIO.RunOnConsoleAsync(io => BenchApp.RunAsync(args, io));
