using ForumPrefs.Core;

namespace ForumPrefs.Export.Parquet;

/// <summary>
/// Row groups the Hugging Face dataset viewer reads: it refuses a row group above 286 MiB in memory and recommends
/// 100–300 MB, so a row group is closed at its row count or at about 100 MB of text, whichever comes first.
/// </summary>
internal static class RowGroups
{
    public const long MaxChars = 100L << 20;

    /// <summary>The text a row group may hold: <see cref="MaxChars"/>, or less where shards are smaller, so a shard's size is seen growing.</summary>
    public static long CharsFor(double maxFileMb) => maxFileMb <= 0 ? MaxChars : Math.Min(MaxChars, (long)(maxFileMb * (1 << 20)));

    /// <summary>A row's text, in characters (close to its UTF-8 bytes for the forums' mostly Latin text).</summary>
    public static long Chars(PreferencePair pair) =>
        pair.History.Length + pair.Preferred.Text.Length + pair.Other.Text.Length
        + (pair.Conversation?.Sum(t => t.Content.Length) ?? 0);
}
