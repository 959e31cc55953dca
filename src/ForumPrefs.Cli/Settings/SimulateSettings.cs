using ForumPrefs.Sources.Simulation;

namespace ForumPrefs.Cli.Settings;

/// <summary>What <c>simulate</c> and <c>run</c> simulate, validated when made: a bad value is a usage error naming its option.</summary>
internal sealed record SimulateSettings(string Db, int Posts, int Batch, double RecrawlAfterDays, double TimelineHours, SimulatorSettings Simulator)
{
    public static SimulateSettings From(string db, int posts, int seed, string forums, int batch, double recrawlAfterDays = 0, double timelineHours = 0)
    {
        if (recrawlAfterDays < 0 || double.IsNaN(recrawlAfterDays))
            throw new UsageException("--recrawl-after-days must be 0 or more");
        if (timelineHours is < 0 or (> 0 and < 1) || double.IsNaN(timelineHours))
            throw new UsageException("--timeline-hours must be 0 (off) or at least 1");
        if (posts < 0)
            throw new UsageException("--posts must be 0 or more");
        if (batch < 1)
            throw new UsageException("--batch must be at least 1");
        var names = forums.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            throw new UsageException("--forums needs at least one name");
        return new SimulateSettings(db, posts, batch, recrawlAfterDays, timelineHours, new SimulatorSettings { Seed = seed, Forums = names });
    }
}
