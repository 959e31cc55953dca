using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs pairs</c>: rebuild preference pairs in the store with a policy (SHP's rules by default).</summary>
internal sealed class PairsCommand : Command
{
    public PairsCommand(CliIO io, ForumSources sources) : base("pairs", "Build preference pairs from votes and post age (SHP rules), with splits and diagnostics")
    {
        var db = CommonOptions.Db();
        var format = CommonOptions.Format();
        var options = new PairingOptions(sources);
        Options.Add(db);
        Options.Add(format);
        options.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var settings = options.Read(parse, io.Resolve);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!), create: false);
            var results = await PairsJob.RunAsync(io, store, settings, cancellationToken);
            PairingOutput.Write(io.Out, results, parse.GetValue(format));
            if (parse.GetValue(format) == ResultFormat.Table)
                PairingOutput.WriteComparisons(io.Out, PairsJob.Comparisons(store, results));
            return ExitCodes.Done;
        });
    }
}
