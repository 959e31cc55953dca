namespace ForumPrefs.Sources;

/// <summary>A reader that counts what it skips, by kind, and keeps the first few examples.</summary>
public interface ISkipCounter
{
    Dictionary<string, long> Skipped { get; }
    List<string> Examples { get; }
}
