using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;

namespace ForumPrefs.Tests.Support;

/// <summary>A store filled from the simulator, for pairing and export tests.</summary>
public static class SimulatedStore
{
    public static ForumStore Create(string path, int posts, int seed = 11, params string[] forums)
    {
        var store = ForumStore.Open(path);
        var simulator = new ForumSimulator(new SimulatorSettings { Seed = seed, Forums = forums.Length > 0 ? forums : ["eli5", "askscience"] });
        for (var start = 0; start < posts; start += 200)
            store.WriteThreads(simulator.Threads(start, Math.Min(posts, start + 200)).ToList());
        return store;
    }
}
