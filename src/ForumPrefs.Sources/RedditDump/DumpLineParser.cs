using ForumPrefs.Core;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// Parses one Pushshift / Arctic Shift NDJSON line into a post or a comment, reading only the fields ForumPrefs
/// keeps and skipping the rest unparsed. Every quirk of the dumps is accepted: created_utc as int, float or string;
/// a null score; edited false, true or a timestamp; retrieved_on and _meta.retrieved_2nd_on as the time the score
/// was read (the later of the two). The per-line methods are compiled fully optimised at once
/// (AggressiveOptimization): otherwise an ingest of a few seconds spends much of it in the unoptimised and
/// instrumented tiers before the JIT's background tier-up reaches them.
/// </summary>
public static class DumpLineParser
{
    /// <summary>
    /// A parsed line, or why it was skipped and where in the line the problem is; <see cref="ScoreClamped"/> when a
    /// score or count beyond 32 bits was clamped to fit (counted by the caller, never silent).
    /// </summary>
    public readonly record struct Result(DumpItem? Item, SkipKind Kind, string? Problem, long PositionInLine = 0, bool ScoreClamped = false)
    {
        public static Result Skip(SkipKind kind, string problem, long positionInLine = 0) => new(null, kind, problem, positionInLine);
    }

    private sealed class Fields
    {
        public string? Id, Subreddit, Author, Body, Title, Selftext, Url, LinkId, ParentId, Distinguished;
        public double? Created, Edited, Retrieved, Retrieved2, UpvoteRatio;
        public long? Score, NumComments;
        public bool EditedFlag, Over18, IsSelf, Stickied, IsSubmitter, HasIsSelf;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Parse(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
            return Result.Skip(SkipKind.InvalidUtf8, "the line is not valid UTF-8");
        var f = new Fields();
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Result.Skip(SkipKind.MalformedJson, "the line is not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (!ReadField(ref reader, name, f, out var problem))
                    return Result.Skip(SkipKind.WrongType, problem!);
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Result.Skip(SkipKind.MalformedJson, "trailing data after the object");
        }
        catch (JsonException ex)
        {
            return Result.Skip(SkipKind.MalformedJson, ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0], ex.BytePositionInLine ?? 0);
        }
        return Build(f);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, Fields f, out string? problem)
    {
        problem = null;
        switch (name)
        {
            case var n when n.SequenceEqual("id"u8): return Text(ref reader, "id", out f.Id, out problem);
            case var n when n.SequenceEqual("subreddit"u8): return Text(ref reader, "subreddit", out f.Subreddit, out problem);
            case var n when n.SequenceEqual("author"u8): return Text(ref reader, "author", out f.Author, out problem);
            case var n when n.SequenceEqual("body"u8): return Text(ref reader, "body", out f.Body, out problem);
            case var n when n.SequenceEqual("title"u8): return Text(ref reader, "title", out f.Title, out problem);
            case var n when n.SequenceEqual("selftext"u8): return Text(ref reader, "selftext", out f.Selftext, out problem);
            case var n when n.SequenceEqual("url"u8): return Text(ref reader, "url", out f.Url, out problem);
            case var n when n.SequenceEqual("link_id"u8): return Text(ref reader, "link_id", out f.LinkId, out problem);
            case var n when n.SequenceEqual("parent_id"u8): return Text(ref reader, "parent_id", out f.ParentId, out problem);
            case var n when n.SequenceEqual("distinguished"u8): return Text(ref reader, "distinguished", out f.Distinguished, out problem);
            case var n when n.SequenceEqual("created_utc"u8): return Number(ref reader, "created_utc", out f.Created, out problem);
            case var n when n.SequenceEqual("retrieved_on"u8): return Number(ref reader, "retrieved_on", out f.Retrieved, out problem);
            case var n when n.SequenceEqual("upvote_ratio"u8): return Number(ref reader, "upvote_ratio", out f.UpvoteRatio, out problem);
            case var n when n.SequenceEqual("score"u8):
                if (!Number(ref reader, "score", out var score, out problem)) return false;
                f.Score = score is { } s ? (long)s : null;
                return true;
            case var n when n.SequenceEqual("num_comments"u8):
                if (!Number(ref reader, "num_comments", out var count, out problem)) return false;
                f.NumComments = count is { } c ? (long)c : null;
                return true;
            case var n when n.SequenceEqual("edited"u8):
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    f.EditedFlag = reader.GetBoolean();
                    return true;
                }
                return Number(ref reader, "edited", out f.Edited, out problem);
            case var n when n.SequenceEqual("over_18"u8): return Flag(ref reader, "over_18", out f.Over18, out problem);
            case var n when n.SequenceEqual("is_self"u8): f.HasIsSelf = true; return Flag(ref reader, "is_self", out f.IsSelf, out problem);
            case var n when n.SequenceEqual("stickied"u8): return Flag(ref reader, "stickied", out f.Stickied, out problem);
            case var n when n.SequenceEqual("is_submitter"u8): return Flag(ref reader, "is_submitter", out f.IsSubmitter, out problem);
            case var n when n.SequenceEqual("_meta"u8):
                if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return true; }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isSecond = reader.ValueSpan.SequenceEqual("retrieved_2nd_on"u8);
                    reader.Read();
                    if (isSecond) { if (!Number(ref reader, "_meta.retrieved_2nd_on", out f.Retrieved2, out problem)) return false; }
                    else reader.Skip();
                }
                return true;
            default:
                reader.Skip();
                return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Result Build(Fields f)
    {
        if (string.IsNullOrWhiteSpace(f.Id)) return Result.Skip(SkipKind.MissingField, f.Id is null ? "no id" : "an empty id");
        if (string.IsNullOrWhiteSpace(f.Subreddit)) return Result.Skip(SkipKind.MissingField, f.Subreddit is null ? "no subreddit" : "an empty subreddit");
        if (f.Created is not { } createdSeconds) return Result.Skip(SkipKind.MissingField, "no created_utc");
        var forum = new Forum(SourceNames.Reddit, f.Subreddit);
        var created = Time(createdSeconds);
        DateTimeOffset? edited = f.Edited is { } e && e > 0 ? Time(e) : f.EditedFlag ? created : null;
        // The later of the two retrievals is when the stored score was read; without either, only creation is known.
        var observed = Time(Math.Max(f.Retrieved ?? 0, f.Retrieved2 ?? 0) is var r && r > 0 ? r : createdSeconds);
        var author = f.Author ?? DeletedContent.Deleted;
        var score = (int)Math.Clamp(f.Score ?? 0, int.MinValue, int.MaxValue);
        var clamped = f.Score is < int.MinValue or > int.MaxValue || f.NumComments is > int.MaxValue;

        if (f.Title is not null || f.LinkId is null)
        {
            if (f.Title is null) return Result.Skip(SkipKind.MissingField, "neither a post (title) nor a comment (link_id)");
            var post = new Post(f.Id, f.Title, f.Selftext ?? "", author, score, f.UpvoteRatio, created, edited, f.Over18,
                f.HasIsSelf ? f.IsSelf : string.IsNullOrEmpty(f.Url) || (f.Selftext?.Length ?? 0) > 0, f.Distinguished, f.Url,
                (int)Math.Clamp(f.NumComments ?? 0, 0, int.MaxValue));
            return new Result(new DumpItem(forum, post, null, observed), default, null, ScoreClamped: clamped);
        }
        if (f.ParentId is null) return Result.Skip(SkipKind.MissingField, "comment without parent_id");
        if (f.Body is null) return Result.Skip(SkipKind.MissingField, "comment without body");
        var postId = StripKind(f.LinkId);
        var parentId = StripKind(f.ParentId);
        // Top-level comments are known to be depth 0; a reply's depth is resolved in the store once its parents are there.
        var depth = parentId == postId ? 0 : -1;
        var comment = new Comment(f.Id, postId, parentId, depth, f.Body, author, score, created, edited, f.Distinguished,
            f.Stickied, f.IsSubmitter);
        return new Result(new DumpItem(forum, null, comment, observed), default, null, ScoreClamped: clamped);
    }

    private static string StripKind(string fullname) =>
        fullname.Length > 3 && fullname[0] == 't' && fullname[2] == '_' ? fullname[3..] : fullname;

    private static DateTimeOffset Time(double seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(seconds, -62135596800, 253402300799));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Text(ref Utf8JsonReader reader, string field, out string? value, out string? problem)
    {
        problem = null;
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String: value = reader.GetString(); return true;
            case JsonTokenType.Null: return true;
            default: problem = $"{field} is {reader.TokenType}, not a string"; reader.Skip(); return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Number(ref Utf8JsonReader reader, string field, out double? value, out string? problem)
    {
        problem = null;
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                value = reader.GetDouble();
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                var span = reader.HasValueSequence ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                if (Utf8Parser.TryParse(span, out double parsed, out var used) && used == span.Length)
                {
                    value = parsed;
                    return true;
                }
                problem = $"{field} is the string \"{Encoding.UTF8.GetString(span[..Math.Min(span.Length, 40)])}\", not a number";
                return false;
            default:
                problem = $"{field} is {reader.TokenType}, not a number";
                reader.Skip();
                return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Flag(ref Utf8JsonReader reader, string field, out bool value, out string? problem)
    {
        problem = null;
        value = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.True: value = true; return true;
            case JsonTokenType.False or JsonTokenType.Null: return true;
            default: problem = $"{field} is {reader.TokenType}, not true/false"; reader.Skip(); return false;
        }
    }
}
