using ForumPrefs.Core;
using ForumPrefs.Ingest;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources;
using ForumPrefs.Store;
using System.Globalization;

namespace ForumPrefs.Tests.Sources.Toy;

/// <summary>
/// A toy forum added the way a new source is: this one folder. Its files hold one message a line,
/// <c>thread|id|parent|score|unix time|text</c> (no parent: the question). Everything else (the ingest verb, run's
/// option, the default policy, one-line errors) comes from the seam.
/// </summary>
public sealed class ToySource : IngestSource<ToySource.Settings>
{
    public sealed record Settings(string Forum);

    public sealed class FileState : IngestState
    {
        public long Lines { get; set; }
    }

    public override string Name => "toy";
    public override string Description => "Toy forum files (thread|id|parent|score|time|text)";
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string> { ["toy"] = "stackexchange" };
    public override string Inputs => "Toy files";
    public override IReadOnlyList<string> Formats => [".toy"];
    public override string? RunOption => "toy";
    public override IReadOnlyList<SourceOption> Options => [new("forum", "The toy forum's name", Required: true, HelpName: "NAME")];

    public override Settings Read(SourceArguments arguments) =>
        arguments.Required("forum") is var forum && forum.All(char.IsLetter) ? new(forum)
        : throw new SourceUsageException($"--forum must be letters only, not '{forum}'");

    public override string DatasetName(IReadOnlyList<string> inputs, Settings settings) => "toy-" + settings.Forum;

    public override Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var forum = new Forum("toy", settings.Forum);
        var results = CheckpointedFiles.Run<FileState>(store, "toy", inputs, "", 1000, context.Reporter, (batch, file) =>
        {
            foreach (var line in File.ReadLines(file))
            {
                batch.State.Lines++;
                var f = line.Split('|');
                if (f.Length != 6 || !int.TryParse(f[3], CultureInfo.InvariantCulture, out var score))
                {
                    batch.State.Skip("bad_line", $"line {batch.State.Lines}");
                    continue;
                }
                if (f[0] == "boom")
                    throw new ToyException($"the toy server said no to thread {f[1]}");
                var created = DateTimeOffset.FromUnixTimeSeconds(long.Parse(f[4], CultureInfo.InvariantCulture));
                if (f[2].Length == 0)
                    batch.Add(forum, new Post(f[0], f[5], f[5], "asker", score, null, created, null, false, true, null, null, 0), created.AddDays(30));
                else
                    batch.Add(forum, new Comment(f[1], f[0], f[0], 0, f[5], "user" + f[1], score, created, null, null, false, false), created.AddDays(30));
            }
            batch.Complete();
        });
        return Task.FromResult(SourceRun.Of(results, ["lines"], s => [s.Lines]));
    }
}

/// <summary>The toy source's own error: a one-line error through the common base, with no list in the command line.</summary>
public sealed class ToyException(string message) : SourceException(message);
