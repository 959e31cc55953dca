using Microsoft.Data.Sqlite;

namespace ForumPrefs.Store;

/// <summary>The columns and rows of a query, with SQLite's values (long, double, string, byte[] or null).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    internal static QueryResult Read(SqliteDataReader reader)
    {
        // Skip statements that return no columns (e.g. a leading comment-only statement).
        while (reader.FieldCount == 0 && reader.NextResult()) { }
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return new QueryResult(columns, rows);
    }
}
