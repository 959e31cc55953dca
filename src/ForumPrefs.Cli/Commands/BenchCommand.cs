using ForumPrefs.Cli.Commands.Bench;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs bench</c>: benchmarks that print their figures and the ratio to a reference timed in the same run.</summary>
internal sealed class BenchCommand : Command
{
    public BenchCommand(CliIO io) : base("bench", "Benchmarks with a reference measured in the same run")
    {
        Subcommands.Add(BenchStore.Create(io));
        Subcommands.Add(BenchPairs.Create(io));
        Subcommands.Add(BenchDump.Create(io));
        Subcommands.Add(BenchTrain.Create(io));
        Subcommands.Add(BenchAll.Create(io));
    }
}
