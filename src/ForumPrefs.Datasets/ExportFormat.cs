namespace ForumPrefs.Datasets;

public enum ExportFormat
{
    /// <summary>SHP's columns and types, in Parquet.</summary>
    Shp,
    /// <summary>TRL's prompt / chosen / rejected, plus score_ratio and margin, in Parquet.</summary>
    Trl,
    /// <summary>SHP's own JSON Lines form (one object per line, SHP's fields).</summary>
    Jsonl,
}

/// <summary>What goes into each row beyond the layout's own columns.</summary>
/// <param name="Conversational">TRL layout only: prompt, chosen and rejected as lists of messages (TRL's conversational format).</param>
public sealed record ExportOptions(ExportFormat Format, bool IncludeAuthors = false, int RowGroupSize = 25_000, bool Conversational = false);
