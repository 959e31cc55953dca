using System.Buffers;
using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using static ForumPrefs.Sources.RedditDump.DumpLineParser;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// The fast path of <see cref="DumpLineParser"/>: one pass over a line's bytes that reads the fields the store keeps
/// and only checks the syntax of the others (a modern line has about 70 names, most of them skipped), where
/// Utf8JsonReader made a token of every name and value. It accepts a line only when it is sure of the reader's
/// answer; anything else — a syntax error anywhere, an escaped name, a kept field of an unusual type, a number that
/// is no finite double, nesting deeper than <see cref="MaxDepth"/> — is declined, and the reader reads the line from
/// the start, so every line gets the same result and the same message as from the reader alone
/// (<c>DumpLineScannerTests</c> compares both on real, generated and mutated lines).
/// Each step takes the position it starts at and returns the one after what it read, or <see cref="Declined"/>:
/// a position passed by reference lived in memory, and the scan waited on it at every byte.
/// </summary>
internal static class DumpLineScanner
{
    private const int Declined = -1;

    /// <summary>Deeper nesting is left to the reader, which refuses more than 64 levels.</summary>
    private const int MaxDepth = 32;

    // Where a string's plain run ends: its closing quote, an escape, or a control character (invalid in JSON).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    /// <summary>Fills <paramref name="f"/> from <paramref name="line"/>, or returns false to leave the line to the reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> line, ref Fields f)
    {
        var at = Space(line, 0);
        if (at >= line.Length || line[at] != '{')
            return false;
        at = Space(line, at + 1);
        if (at < line.Length && line[at] == '}')
            return Space(line, at + 1) == line.Length;
        while (true)
        {
            var valueAt = Name(line, at, out var start, out var end, out var escaped);
            if (valueAt < 0 || escaped)
                return false;
            at = Field(line, valueAt, Identify(line[start..end]), ref f);
            if (at < 0)
                return false;
            at = Space(line, at);
            if (at >= line.Length)
                return false;
            var next = line[at++];
            if (next == '}')
                return Space(line, at) == line.Length;
            if (next != ',')
                return false;
            at = Space(line, at);
        }
    }

    /// <summary>A top-level field's value at <paramref name="at"/> (never past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Field(ReadOnlySpan<byte> line, int at, Field field, ref Fields f)
    {
        switch (field)
        {
            case DumpLineParser.Field.Other: return Skip(line, at, 1);
            case DumpLineParser.Field.Id: return Text(line, at, out f.Id);
            case DumpLineParser.Field.Author: return Text(line, at, out f.Author);
            case DumpLineParser.Field.Body: return Text(line, at, out f.Body);
            case DumpLineParser.Field.Title: return Text(line, at, out f.Title);
            case DumpLineParser.Field.Selftext: return Text(line, at, out f.Selftext);
            case DumpLineParser.Field.Url: return Text(line, at, out f.Url);
            case DumpLineParser.Field.Distinguished: return Text(line, at, out f.Distinguished);
            case DumpLineParser.Field.LinkId: return Fullname(line, at, out f.LinkId);
            case DumpLineParser.Field.ParentId: return Fullname(line, at, out f.ParentId);
            case DumpLineParser.Field.Subreddit: return Subreddit(line, at, ref f);
            case DumpLineParser.Field.Created: return Number(line, at, out f.Created);
            case DumpLineParser.Field.Retrieved: return Number(line, at, out f.Retrieved);
            case DumpLineParser.Field.UpvoteRatio: return Number(line, at, out f.UpvoteRatio);
            case DumpLineParser.Field.Score:
                at = Number(line, at, out var score);
                f.Score = score is { } s ? (long)s : null;
                return at;
            case DumpLineParser.Field.NumComments:
                at = Number(line, at, out var count);
                f.NumComments = count is { } c ? (long)c : null;
                return at;
            case DumpLineParser.Field.Edited:
                if (Literal(line, at, "true"u8) is var afterTrue && afterTrue > 0) { f.EditedFlag = true; return afterTrue; }
                if (Literal(line, at, "false"u8) is var afterFalse && afterFalse > 0) { f.EditedFlag = false; return afterFalse; }
                return Number(line, at, out f.Edited);
            case DumpLineParser.Field.Over18: return Flag(line, at, out f.Over18);
            case DumpLineParser.Field.IsSelf: f.HasIsSelf = true; return Flag(line, at, out f.IsSelf);
            case DumpLineParser.Field.Stickied: return Flag(line, at, out f.Stickied);
            case DumpLineParser.Field.IsSubmitter: return Flag(line, at, out f.IsSubmitter);
            case DumpLineParser.Field.Meta: return Meta(line, at, ref f);
            default: return Declined;
        }
    }

    /// <summary>_meta: only retrieved_2nd_on is read; any other value of _meta is skipped, as by the reader.</summary>
    private static int Meta(ReadOnlySpan<byte> line, int at, ref Fields f)
    {
        if (line[at] != '{')
            return Skip(line, at, 1);
        at = Space(line, at + 1);
        if (at < line.Length && line[at] == '}')
            return at + 1;
        while (true)
        {
            var valueAt = Name(line, at, out var start, out var end, out var escaped);
            if (valueAt < 0 || escaped)
                return Declined;
            at = line[start..end].SequenceEqual("retrieved_2nd_on"u8) ? Number(line, valueAt, out f.Retrieved2) : Skip(line, valueAt, 2);
            if (at < 0)
                return Declined;
            at = Space(line, at);
            if (at >= line.Length)
                return Declined;
            var next = line[at++];
            if (next == '}')
                return at;
            if (next != ',')
                return Declined;
            at = Space(line, at);
        }
    }

    /// <summary>A string or null; an escaped string is unescaped by the reader itself, so it is the same string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Text(ReadOnlySpan<byte> line, int at, out string? value)
    {
        value = null;
        if (line[at] != '"')
            return Literal(line, at, "null"u8);
        var after = String(line, at, out var escaped);
        if (after > 0)
            value = escaped ? Unescape(line[at..after]) : Encoding.UTF8.GetString(line[(at + 1)..(after - 1)]);
        return after;
    }

    private static int Fullname(ReadOnlySpan<byte> line, int at, out string? value)
    {
        if (line[at] == '"' && String(line, at, out var escaped) is var after && after > 0 && !escaped
            && TryFullname(line[(at + 1)..(after - 1)], out value))
            return after;
        after = Text(line, at, out value);
        value = value is null ? null : StripKind(value);
        return after;
    }

    private static int Subreddit(ReadOnlySpan<byte> line, int at, ref Fields f)
    {
        if (line[at] == '"' && String(line, at, out var escaped) is var after && after > 0 && !escaped
            && KnownForum(line[(at + 1)..(after - 1)]) is { } known)
        {
            (f.Forum, f.EmptySubreddit) = (known, false);
            return after;
        }
        after = Text(line, at, out var name);
        if (after > 0)
            SetForum(name, ref f);
        return after;
    }

    /// <summary>
    /// A number, null, or a number written as a plain string (2015-era created_utc), read as the reader reads them;
    /// anything else is declined, and the reader words the problem.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Number(ReadOnlySpan<byte> line, int at, out double? value)
    {
        value = null;
        int after;
        ReadOnlySpan<byte> digits;
        if (line[at] == '"')
        {
            after = String(line, at, out var escaped);
            if (after < 0 || escaped)
                return Declined;
            digits = line[(at + 1)..(after - 1)];
        }
        else if (line[at] == 'n')
        {
            return Literal(line, at, "null"u8);
        }
        else
        {
            after = SkipNumber(line, at);
            if (after < 0)
                return Declined;
            digits = line[at..after];
        }
        if (!Utf8Parser.TryParse(digits, out double parsed, out var used) || used != digits.Length || !double.IsFinite(parsed))
            return Declined;
        value = parsed;
        return after;
    }

    private static int Flag(ReadOnlySpan<byte> line, int at, out bool value)
    {
        value = false;
        switch (line[at])
        {
            case (byte)'t': value = true; return Literal(line, at, "true"u8);
            case (byte)'f': return Literal(line, at, "false"u8);
            case (byte)'n': return Literal(line, at, "null"u8);
            default: return Declined;
        }
    }

    /// <summary>Passes over any value, checking its syntax as the reader would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Skip(ReadOnlySpan<byte> line, int at, int depth)
    {
        switch (line[at])
        {
            case (byte)'"': return String(line, at, out _);
            case (byte)'t': return Literal(line, at, "true"u8);
            case (byte)'f': return Literal(line, at, "false"u8);
            case (byte)'n': return Literal(line, at, "null"u8);
            case (byte)'{' or (byte)'[' when depth < MaxDepth: return Nested(line, at, depth + 1);
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'): return SkipNumber(line, at);
            default: return Declined;
        }
    }

    /// <summary>An object or an array, with the syntax of everything in it checked.</summary>
    private static int Nested(ReadOnlySpan<byte> line, int at, int depth)
    {
        var isObject = line[at] == '{';
        var close = isObject ? (byte)'}' : (byte)']';
        at = Space(line, at + 1);
        if (at < line.Length && line[at] == close)
            return at + 1;
        while (true)
        {
            if (isObject && (at = Name(line, at, out _, out _, out _)) < 0)
                return Declined;
            if (at >= line.Length || (at = Skip(line, at, depth)) < 0)
                return Declined;
            at = Space(line, at);
            if (at >= line.Length)
                return Declined;
            var next = line[at++];
            if (next == close)
                return at;
            if (next != ',')
                return Declined;
            at = Space(line, at);
        }
    }

    /// <summary>
    /// A property name, its colon and the whitespace around them: returns where the value starts (which is there),
    /// with the name between <paramref name="start"/> and <paramref name="end"/>, escapes as written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Name(ReadOnlySpan<byte> line, int at, out int start, out int end, out bool escaped)
    {
        start = at + 1;
        end = start;
        escaped = false;
        if (at >= line.Length || line[at] != '"')
            return Declined;
        var after = String(line, at, out escaped);
        if (after < 0)
            return Declined;
        end = after - 1;
        at = Space(line, after);
        if (at >= line.Length || line[at] != ':')
            return Declined;
        at = Space(line, at + 1);
        return at < line.Length ? at : Declined;
    }

    /// <summary>
    /// A string from its opening quote at <paramref name="at"/>; returns the position after its closing quote.
    /// Escapes are checked as the reader checks them (a known letter, or u and four hex digits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int String(ReadOnlySpan<byte> line, int at, out bool escaped)
    {
        escaped = false;
        var i = at + 1;
        while (true)
        {
            i = NextStop(line, i);
            if (i >= line.Length)
                return Declined;
            var b = line[i];
            if (b == '"')
                return i + 1;
            if (b != '\\' || i + 1 >= line.Length)
                return Declined; // a control character, or an escape cut off
            escaped = true;
            var kind = line[i + 1];
            if (kind == 'u')
            {
                if (i + 6 > line.Length || !IsHex(line[i + 2]) || !IsHex(line[i + 3]) || !IsHex(line[i + 4]) || !IsHex(line[i + 5]))
                    return Declined;
                i += 6;
            }
            else if (kind is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
                i += 2;
            else
                return Declined;
        }
    }

    /// <summary>
    /// The first quote, backslash or control character at or after <paramref name="i"/>, 32 bytes at a time: most
    /// strings here are names and short values, where a general search's set-up per call cost more than the search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextStop(ReadOnlySpan<byte> line, int i)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(line);
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var high = Vector256.Create((byte)0xE0);
            while (i <= line.Length - Vector256<byte>.Count)
            {
                var bytes = Vector256.LoadUnsafe(ref start, (nuint)i);
                var stops = Vector256.Equals(bytes, quote) | Vector256.Equals(bytes, backslash)
                    | Vector256.Equals(bytes & high, Vector256<byte>.Zero);
                var bits = stops.ExtractMostSignificantBits();
                if (bits != 0)
                    return i + BitOperations.TrailingZeroCount(bits);
                i += Vector256<byte>.Count;
            }
        }
        var rest = line[i..].IndexOfAny(StringStops);
        return rest < 0 ? line.Length : i + rest;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; what follows is the caller's to check.</summary>
    private static int SkipNumber(ReadOnlySpan<byte> line, int i)
    {
        if (i < line.Length && line[i] == '-')
            i++;
        if (i >= line.Length || !char.IsAsciiDigit((char)line[i]))
            return Declined;
        if (line[i++] != '0')
            i = Digits(line, i);
        if (i < line.Length && line[i] == '.')
        {
            var fraction = i + 1;
            i = Digits(line, fraction);
            if (i == fraction)
                return Declined;
        }
        if (i < line.Length && (line[i] | 0x20) == 'e')
        {
            i++;
            if (i < line.Length && line[i] is (byte)'+' or (byte)'-')
                i++;
            var exponent = i;
            i = Digits(line, exponent);
            if (i == exponent)
                return Declined;
        }
        return i;
    }

    private static int Digits(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && char.IsAsciiDigit((char)line[i]))
            i++;
        return i;
    }

    /// <summary>The position after <paramref name="word"/> when the line has it at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Literal(ReadOnlySpan<byte> line, int at, ReadOnlySpan<byte> word) =>
        line[at..].StartsWith(word) ? at + word.Length : Declined;

    /// <summary>The first index at or after <paramref name="at"/> that is not JSON whitespace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Space(ReadOnlySpan<byte> line, int at)
    {
        while (at < line.Length && line[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            at++;
        return at;
    }

    /// <summary>An escaped string token (quotes included), unescaped by Utf8JsonReader: the reader's own string.</summary>
    private static string? Unescape(ReadOnlySpan<byte> token)
    {
        var reader = new Utf8JsonReader(token);
        reader.Read();
        return JsonText.String(ref reader);
    }
}
