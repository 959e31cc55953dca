namespace ForumPrefs.Store;

/// <summary>Inserts a run's pairs, <see cref="RowsPerStatement"/> to a multi-row statement; the rest go one by one on dispose.</summary>
internal sealed class PairRows : IDisposable
{
    private const int RowsPerStatement = 64;
    private const int Columns = 14;
    private const string ColumnList = """
        (run_id, post_pk, preferred_pk, other_pk, preferred_score, other_score, score_ratio, margin,
         split, preferred_is_a, window_preferred, window_other, window_seconds, language)
        VALUES
        """;

    private readonly long _runId;
    private readonly PreparedCommand _many;
    private readonly PreparedCommand _one;
    private readonly List<StoredPair> _pending = new(RowsPerStatement);

    /// <param name="table">pairs, or the staging table of the same columns (a constant, never data).</param>
    public PairRows(Microsoft.Data.Sqlite.SqliteConnection connection, long runId, string table = "pairs")
    {
        _runId = runId;
        _many = new PreparedCommand(connection, Sql(table, RowsPerStatement));
        _one = new PreparedCommand(connection, Sql(table, 1));
    }

    public void Add(StoredPair pair)
    {
        _pending.Add(pair);
        if (_pending.Count < RowsPerStatement)
            return;
        for (var row = 0; row < RowsPerStatement; row++)
            Bind(_many, row * Columns, _pending[row]);
        _many.Run();
        _pending.Clear();
    }

    public void Dispose()
    {
        foreach (var pair in _pending)
        {
            Bind(_one, 0, pair);
            _one.Run();
        }
        _pending.Clear();
        _many.Dispose();
        _one.Dispose();
    }

    private void Bind(PreparedCommand command, int offset, StoredPair pair) =>
        command.Set(offset + 1, _runId).Set(offset + 2, pair.PostPk).Set(offset + 3, pair.PreferredPk).Set(offset + 4, pair.OtherPk)
            .Set(offset + 5, (long)pair.PreferredScore).Set(offset + 6, (long)pair.OtherScore).Set(offset + 7, (double?)pair.ScoreRatio)
            .Set(offset + 8, (double?)pair.Margin).Set(offset + 9, Core.SplitNames.Name(pair.Split)).Set(offset + 10, pair.PreferredIsA)
            .Set(offset + 11, (long?)pair.Window?.PreferredVotes).Set(offset + 12, (long?)pair.Window?.OtherVotes)
            .Set(offset + 13, pair.Window?.Seconds).Set(offset + 14, pair.Language);

    private static string Sql(string table, int rows) =>
        $"INSERT INTO {table}{ColumnList} " + string.Join(",\n", Enumerable.Range(0, rows).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(row * Columns + 1, Columns).Select(i => $"?{i}")) + ")"));
}
