using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Training;

/// <summary>One simulator export shared by the training tests (built once: simulate, pairs, export in SHP layout).</summary>
public sealed class SimulatedExport : IDisposable
{
    public SimulatedExport()
    {
        Folder = new TempFolder();
        var run = Support.Cli.RunAsync(Folder.Path, "run", "--posts", "1600", "--skip-train").GetAwaiter().GetResult();
        if (run.ExitCode != 0)
            throw new InvalidOperationException(run.Error);
    }

    public TempFolder Folder { get; }

    public string Data => Folder.File("datasets/simulated");

    public void Dispose() => Folder.Dispose();
}
