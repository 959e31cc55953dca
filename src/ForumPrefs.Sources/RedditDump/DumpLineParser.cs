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
    public readonly record struct Result(DumpItem? Item, SkipKind Kind, string? Problem, long PositionInLine = 0, bool ScoreClamped = false,
        bool MillisecondTimes = false)
    {
        public static Result Skip(SkipKind kind, string problem, long positionInLine = 0) => new(null, kind, problem, positionInLine);
    }

    // A struct on the stack: one object fewer per line.
    internal struct Fields
    {
        public string? Id, Author, Body, Title, Selftext, Url, LinkId, ParentId, Distinguished;
        public Forum? Forum;
        public double? Created, Edited, Retrieved, Retrieved2, UpvoteRatio;
        public long? Score, NumComments;
        public bool EditedFlag, Over18, IsSelf, Stickied, IsSubmitter, HasIsSelf, EmptySubreddit;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Parse(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
            return Result.Skip(SkipKind.InvalidUtf8, "the line is not valid UTF-8");
        var f = default(Fields);
        // Declined by the one-pass scanner (something unusual, or an error): the reader decides, from a clean start.
        return DumpLineScanner.TryRead(line, ref f) ? Build(in f) : ReadWithReader(line);
    }

    /// <summary>The whole parse with Utf8JsonReader alone: what the scanner's answer must equal (tests compare).</summary>
    internal static Result ParseWithReader(ReadOnlySpan<byte> line) =>
        Utf8.IsValid(line) ? ReadWithReader(line) : Result.Skip(SkipKind.InvalidUtf8, "the line is not valid UTF-8");

    /// <summary>A valid UTF-8 line read by Utf8JsonReader, token by token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Result ReadWithReader(ReadOnlySpan<byte> line)
    {
        var f = default(Fields);
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Result.Skip(SkipKind.MalformedJson, "the line is not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (!ReadField(ref reader, name, ref f, out var problem))
                    return Result.Skip(SkipKind.WrongType, problem!);
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Result.Skip(SkipKind.MalformedJson, "trailing data after the object");
        }
        catch (JsonException ex)
        {
            return Result.Skip(SkipKind.MalformedJson, ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0], ex.BytePositionInLine ?? 0);
        }
        return Build(in f);
    }

    /// <summary>The fields the store keeps; every other name is skipped unread.</summary>
    internal enum Field { Other, Id, Subreddit, Author, Body, Title, Selftext, Url, LinkId, ParentId, Distinguished, Created, Retrieved,
        UpvoteRatio, Score, NumComments, Edited, Over18, IsSelf, Stickied, IsSubmitter, Meta }

    /// <summary>
    /// Which field a name is, by its length first: a modern line has about 70 names, and comparing each with all
    /// twenty kept ones was a visible share of parsing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Field Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Field.Id,
        3 when name.SequenceEqual("url"u8) => Field.Url,
        4 when name.SequenceEqual("body"u8) => Field.Body,
        5 when name.SequenceEqual("score"u8) => Field.Score,
        5 when name.SequenceEqual("title"u8) => Field.Title,
        5 when name.SequenceEqual("_meta"u8) => Field.Meta,
        6 when name.SequenceEqual("author"u8) => Field.Author,
        6 when name.SequenceEqual("edited"u8) => Field.Edited,
        7 when name.SequenceEqual("link_id"u8) => Field.LinkId,
        7 when name.SequenceEqual("over_18"u8) => Field.Over18,
        7 when name.SequenceEqual("is_self"u8) => Field.IsSelf,
        8 when name.SequenceEqual("selftext"u8) => Field.Selftext,
        8 when name.SequenceEqual("stickied"u8) => Field.Stickied,
        9 when name.SequenceEqual("subreddit"u8) => Field.Subreddit,
        9 when name.SequenceEqual("parent_id"u8) => Field.ParentId,
        11 when name.SequenceEqual("created_utc"u8) => Field.Created,
        12 when name.SequenceEqual("retrieved_on"u8) => Field.Retrieved,
        12 when name.SequenceEqual("upvote_ratio"u8) => Field.UpvoteRatio,
        12 when name.SequenceEqual("num_comments"u8) => Field.NumComments,
        12 when name.SequenceEqual("is_submitter"u8) => Field.IsSubmitter,
        13 when name.SequenceEqual("distinguished"u8) => Field.Distinguished,
        _ => Field.Other,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ref Fields f, out string? problem)
    {
        problem = null;
        switch (Identify(name))
        {
            case Field.Id: return Text(ref reader, "id", out f.Id, out problem);
            case Field.Subreddit: return ForumName(ref reader, ref f, out problem);
            case Field.Author: return Text(ref reader, "author", out f.Author, out problem);
            case Field.Body: return Text(ref reader, "body", out f.Body, out problem);
            case Field.Title: return Text(ref reader, "title", out f.Title, out problem);
            case Field.Selftext: return Text(ref reader, "selftext", out f.Selftext, out problem);
            case Field.Url: return Text(ref reader, "url", out f.Url, out problem);
            case Field.LinkId: return Fullname(ref reader, "link_id", out f.LinkId, out problem);
            case Field.ParentId: return Fullname(ref reader, "parent_id", out f.ParentId, out problem);
            case Field.Distinguished: return Text(ref reader, "distinguished", out f.Distinguished, out problem);
            case Field.Created: return Number(ref reader, "created_utc", out f.Created, out problem);
            case Field.Retrieved: return Number(ref reader, "retrieved_on", out f.Retrieved, out problem);
            case Field.UpvoteRatio: return Number(ref reader, "upvote_ratio", out f.UpvoteRatio, out problem);
            case Field.Score:
                if (!Number(ref reader, "score", out var score, out problem)) return false;
                f.Score = score is { } s ? (long)s : null;
                return true;
            case Field.NumComments:
                if (!Number(ref reader, "num_comments", out var count, out problem)) return false;
                f.NumComments = count is { } c ? (long)c : null;
                return true;
            case Field.Edited:
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    f.EditedFlag = reader.GetBoolean();
                    return true;
                }
                return Number(ref reader, "edited", out f.Edited, out problem);
            case Field.Over18: return Flag(ref reader, "over_18", out f.Over18, out problem);
            case Field.IsSelf: f.HasIsSelf = true; return Flag(ref reader, "is_self", out f.IsSelf, out problem);
            case Field.Stickied: return Flag(ref reader, "stickied", out f.Stickied, out problem);
            case Field.IsSubmitter: return Flag(ref reader, "is_submitter", out f.IsSubmitter, out problem);
            case Field.Meta:
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
    private static Result Build(in Fields f)
    {
        if (string.IsNullOrWhiteSpace(f.Id)) return Result.Skip(SkipKind.MissingField, f.Id is null ? "no id" : "an empty id");
        if (f.Forum is not { } forum) return Result.Skip(SkipKind.MissingField, f.EmptySubreddit ? "an empty subreddit" : "no subreddit");
        if (f.Created is not { } createdRaw) return Result.Skip(SkipKind.MissingField, "no created_utc");
        // Some re-exports write Unix milliseconds: read as such (and counted), not clamped to the year 9999.
        var milliseconds = createdRaw > MillisecondsFrom;
        var createdSeconds = Seconds(createdRaw);
        if (createdSeconds > MillisecondsFrom) return Result.Skip(SkipKind.WrongType, $"created_utc {createdRaw:R} is no time");
        var created = Time(createdSeconds);
        DateTimeOffset? edited = f.Edited is { } e && e > 0 ? Time(Seconds(e)) : f.EditedFlag ? created : null;
        // The later of the two retrievals is when the stored score was read; without either, only creation is known.
        var observed = Time(Math.Max(Seconds(f.Retrieved ?? 0), Seconds(f.Retrieved2 ?? 0)) is var r && r > 0 ? r : createdSeconds);
        var author = f.Author ?? DeletedContent.Deleted;
        var score = (int)Math.Clamp(f.Score ?? 0, int.MinValue, int.MaxValue);
        var clamped = f.Score is < int.MinValue or > int.MaxValue || f.NumComments is > int.MaxValue;

        if (f.Title is not null || f.LinkId is null)
        {
            if (f.Title is null) return Result.Skip(SkipKind.MissingField, "neither a post (title) nor a comment (link_id)");
            var post = new Post(f.Id, f.Title, f.Selftext ?? "", author, score, f.UpvoteRatio, created, edited, f.Over18,
                f.HasIsSelf ? f.IsSelf : string.IsNullOrEmpty(f.Url) || (f.Selftext?.Length ?? 0) > 0, f.Distinguished, f.Url,
                (int)Math.Clamp(f.NumComments ?? 0, 0, int.MaxValue));
            return new Result(new DumpItem(forum, post, null, observed), default, null, ScoreClamped: clamped, MillisecondTimes: milliseconds);
        }
        if (f.ParentId is null) return Result.Skip(SkipKind.MissingField, "comment without parent_id");
        if (f.Body is null) return Result.Skip(SkipKind.MissingField, "comment without body");
        var postId = f.LinkId;
        var parentId = f.ParentId;
        // Top-level comments are known to be depth 0; a reply's depth is resolved in the store once its parents are there.
        var depth = parentId == postId ? 0 : -1;
        var comment = new Comment(f.Id, postId, parentId, depth, f.Body, author, score, created, edited, f.Distinguished,
            f.Stickied, f.IsSubmitter);
        return new Result(new DumpItem(forum, null, comment, observed), default, null, ScoreClamped: clamped, MillisecondTimes: milliseconds);
    }

    internal static string StripKind(string fullname) =>
        fullname.Length > 3 && fullname[0] == 't' && fullname[2] == '_' ? fullname[3..] : fullname;

    /// <summary>A link_id or parent_id without its kind prefix (t3_, t1_), made into one string straight from the bytes.</summary>
    private static bool Fullname(ref Utf8JsonReader reader, string field, out string? value, out string? problem)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            && TryFullname(reader.ValueSpan, out value))
        {
            problem = null;
            return true;
        }
        var read = Text(ref reader, field, out value, out problem);
        value = value is null ? null : StripKind(value);
        return read;
    }

    /// <summary>An unescaped fullname's id from its bytes, when <see cref="StripKind"/>'s answer can be read off them.</summary>
    internal static bool TryFullname(ReadOnlySpan<byte> span, out string? value)
    {
        // When the first two bytes are ASCII, bytes 0-2 are the characters StripKind looks at; otherwise it decides.
        if (span.Length >= 2 && (span[0] >= 0x80 || span[1] >= 0x80))
        {
            value = null;
            return false;
        }
        value = span.Length > 3 && span[0] == 't' && span[2] == '_'
            ? Encoding.UTF8.GetString(span[3..])
            : Encoding.UTF8.GetString(span);
        return true;
    }

    /// <summary>
    /// The subreddit as a <see cref="Forum"/>, one instance per name and thread: a dump holds millions of lines of
    /// the same few thousand subreddits, and the writer compares forums per row.
    /// </summary>
    private static bool ForumName(ref Utf8JsonReader reader, ref Fields f, out string? problem)
    {
        (f.Forum, f.EmptySubreddit) = (null, false); // a repeated key: the last one counts, as for every field
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            && KnownForum(reader.ValueSpan) is { } known)
        {
            problem = null;
            f.Forum = known;
            return true;
        }
        if (!Text(ref reader, "subreddit", out var name, out problem))
            return false;
        SetForum(name, ref f);
        return true;
    }

    /// <summary>The forum already made for an unescaped name, looked up by its characters so a known name costs no string.</summary>
    internal static Forum? KnownForum(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > 128 || _forums is not { } forums)
            return null;
        Span<char> chars = stackalloc char[128];
        var length = Encoding.UTF8.GetChars(raw, chars);
        return forums.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var known) ? known : null;
    }

    /// <summary>The subreddit field from its (unescaped) value: null, blank (counted as empty) or a name.</summary>
    internal static void SetForum(string? name, ref Fields f)
    {
        (f.Forum, f.EmptySubreddit) = (null, false);
        if (name is null)
            return;
        if (string.IsNullOrWhiteSpace(name))
        {
            f.EmptySubreddit = true;
            return;
        }
        var forums = _forums ??= new Dictionary<string, Forum>(StringComparer.Ordinal);
        if (forums.Count >= MaxCachedForums)
            forums.Clear(); // bounded: a file of more subreddits than this simply makes new ones
        f.Forum = forums[name] = new Forum(SourceNames.Reddit, name);
    }

    private const int MaxCachedForums = 100_000;
    [ThreadStatic] private static Dictionary<string, Forum>? _forums;

    /// <summary>Unix seconds past this are the year 5138 and later: a time this large is in milliseconds.</summary>
    private const double MillisecondsFrom = 1e11;

    private static double Seconds(double time) => time > MillisecondsFrom ? time / 1000 : time;

    private static DateTimeOffset Time(double seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(seconds, -62135596800, 253402300799));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Text(ref Utf8JsonReader reader, string field, out string? value, out string? problem)
    {
        problem = null;
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String: value = JsonText.String(ref reader); return true;
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
