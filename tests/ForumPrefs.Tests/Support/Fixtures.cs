namespace ForumPrefs.Tests.Support;

/// <summary>
/// The recorded real data in ../shared/fixtures (beside the checkout). Where it is absent (a user's fresh clone) the
/// tests that need it are skipped with a reason; under CI (CI=true) its absence is a failure.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "ForumPrefs.sln")))
            {
                var fixtures = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
                return Directory.Exists(fixtures) ? fixtures : null;
            }
        }
        return null;
    });

    /// <summary>The path of a fixture file, or a skip (a failure under CI) when the fixtures folder is absent.</summary>
    public static string File(string relative)
    {
        if (Root.Value is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("CI=true but ../shared/fixtures is missing: the fixture tests cannot run");
            Skip.If(true, "../shared/fixtures is not beside this checkout (recorded real data is not part of the repository)");
        }
        var path = Path.Combine(Root.Value!, relative);
        return System.IO.File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"fixture {relative} is missing from ../shared/fixtures", path);
    }
}
