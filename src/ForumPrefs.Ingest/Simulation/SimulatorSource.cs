using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;

namespace ForumPrefs.Ingest.Simulation;

/// <summary>The embedded forum simulator (<c>simulate</c>, and <c>run</c>'s default): Reddit-like threads under SHP's policy.</summary>
public sealed class SimulatorSource : IForumSource
{
    public string Name => "simulator";
    public string Description => "A deterministic forum simulator with known answer quality (simulate; run's default)";
    public IReadOnlyDictionary<string, string> DefaultPolicies { get; } = new Dictionary<string, string> { [SourceNames.Simulator] = "shp" };
}
