using DuckDB.NET.Data;

namespace ForumPrefs.Tests.Support;

/// <summary>DuckDB as an independent reader of what ForumPrefs exports (Parquet and JSON Lines).</summary>
public static class Duck
{
    public static (List<string> Columns, List<object?[]> Rows) Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "SET autoinstall_known_extensions = false; SET autoload_known_extensions = true;";
            setup.ExecuteNonQuery();
        }
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return (columns, rows);
    }

    public static long Scalar(string sql) => Convert.ToInt64(Query(sql).Rows[0][0]);

    public static string Path(string path) => path.Replace("'", "''");
}
