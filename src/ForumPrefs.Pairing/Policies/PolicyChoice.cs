namespace ForumPrefs.Pairing.Policies;

/// <summary>The policy names users type, and the one rule for "auto": each forum gets the policy its source declares.</summary>
public static class PolicyChoice
{
    public const string Auto = "auto";
    public const string Shp = "shp";
    public const string StackExchange = "stackexchange";
    public const string CommonWindow = "common-window";
    public const string Ranking = "ranking";
    public const string Discourse = "discourse";

    public static readonly string[] Names = [Auto, Shp, StackExchange, CommonWindow, Ranking, Discourse];

    /// <summary>
    /// The policy a forum of <paramref name="source"/> gets when <paramref name="asked"/> was chosen: under "auto", the
    /// one its source declares (<paramref name="sourceDefaults"/>), else SHP's.
    /// </summary>
    public static string For(string asked, string source, IReadOnlyDictionary<string, string> sourceDefaults) =>
        asked != Auto ? asked : sourceDefaults.GetValueOrDefault(source) is { } declared && Names.Contains(declared) ? declared : Shp;
}
