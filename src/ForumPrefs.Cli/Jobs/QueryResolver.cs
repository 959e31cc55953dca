namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Turns the argument of <c>forumprefs query</c> into SQL: a path to a .sql file, the name of a file in
/// queries/ (with or without .sql), or inline SQL.
/// </summary>
internal static class QueryResolver
{
    public static string Resolve(CliIO io, string argument)
    {
        var text = argument.Trim();
        if (text.Length == 0)
            throw new UsageException("query needs SQL, a .sql file or a query name");
        if (text.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) || text.Contains('/') && !text.Contains(' '))
        {
            var path = io.Resolve(text);
            return File.Exists(path)
                ? File.ReadAllText(path)
                : throw new UsageException($"query file '{text}' not found");
        }
        if (!IsName(text))
            return text;

        var folders = QueryFolders(io).ToList();
        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, text + ".sql");
            if (File.Exists(path))
                return File.ReadAllText(path);
        }
        var known = folders.SelectMany(f => Directory.EnumerateFiles(f, "*.sql"))
            .Select(Path.GetFileNameWithoutExtension).Distinct().Order().ToList();
        throw new UsageException(known.Count == 0
            ? $"no query named '{text}' and no queries/ folder found"
            : $"no query named '{text}' in queries/ (known: {string.Join(", ", known)})");
    }

    /// <summary>Names the user can list: the queries/ folder nearest the working directory, then the installed one.</summary>
    public static IEnumerable<string> QueryFolders(CliIO io)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FORUMPREFS_QUERIES");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment))
            yield return fromEnvironment;
        for (var dir = new DirectoryInfo(io.WorkingDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "queries");
            if (Directory.Exists(candidate))
            {
                yield return candidate;
                break;
            }
        }
        var installed = Path.Combine(AppContext.BaseDirectory, "queries");
        if (Directory.Exists(installed))
            yield return installed;
    }

    private static bool IsName(string text) =>
        text.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') && !text.Contains(' ');
}
