using ForumPrefs.Core;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>One parsed dump line: a post (RS files) or a comment (RC files), with when its score was read.</summary>
public sealed record DumpItem(Forum Forum, Post? Post, Comment? Comment, DateTimeOffset Observed);

/// <summary>Why a line was skipped; each kind is counted and reported.</summary>
public enum SkipKind
{
    MalformedJson,
    InvalidUtf8,
    WrongType,
    MissingField,
    TruncatedZstd,
    LineTooLong,
    /// <summary>A record no rule above describes that still could not be read (never a failure of the file).</summary>
    Unreadable,
}

public static class SkipKinds
{
    public static string Name(this SkipKind kind) => kind switch
    {
        SkipKind.MalformedJson => "malformed_json",
        SkipKind.InvalidUtf8 => "invalid_utf8",
        SkipKind.WrongType => "wrong_type",
        SkipKind.MissingField => "missing_field",
        SkipKind.TruncatedZstd => "truncated_zstd",
        SkipKind.LineTooLong => "line_too_long",
        _ => "unreadable",
    };
}
