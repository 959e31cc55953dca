namespace ForumPrefs.Sources.Mapped;

/// <summary>Why a record read through a mapping was skipped: the kinds counted in the ingest's table.</summary>
public static class MappedSkips
{
    public const string MalformedJson = "malformed_json";
    public const string NotARecord = "not_a_record";
    public const string MissingId = "missing_id";
    public const string MissingThread = "missing_thread";
    public const string MissingForum = "missing_forum";
    public const string MissingText = "missing_text";
    public const string MissingScore = "missing_score";
    public const string BadTime = "bad_time";
    public const string UnderBadRecord = "under_a_bad_record";
    public const string Unreadable = "unreadable_file";
}
