using ForumPrefs.Core;

namespace ForumPrefs.Sources.Mapped;

/// <summary>
/// A question or an answer read through a mapping, with its forum and when its score was read (null: the file's
/// date, or --observed). A comment's depth is -1 where only its parent is known (settled once every file is in).
/// </summary>
public sealed record MappedItem(string Forum, Post? Post, Comment? Comment, DateTimeOffset? Observed);
