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
public sealed record ExportOptions(ExportFormat Format, bool IncludeAuthors = false, int RowGroupSize = 25_000, bool Conversational = false)
{
    /// <summary>
    /// A split's file is cut into shards of about this size (the last row group may pass it): 500 MB, the shard size
    /// Hugging Face's <c>push_to_hub</c> writes by default. 0: one file per split.
    /// </summary>
    public double MaxFileMb { get; init; } = 500;
    /// <summary>Licence, link and author columns for every forum (forums under CC BY-SA get them anyway).</summary>
    public bool Attribution { get; init; }
    /// <summary>Personal data replaced by placeholders: all, none, or a comma list of email, phone, ip, user.</summary>
    public string Redact { get; init; } = "all";
}
