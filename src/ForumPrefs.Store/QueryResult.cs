namespace ForumPrefs.Store;

/// <summary>The columns and rows of a query, with SQLite's values (long, double, string, byte[] or null).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
