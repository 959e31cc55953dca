using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditDump;

/// <summary>
/// A JSON string token as text, even when it escapes half a surrogate pair (<c>"\ud800"</c>): valid JSON that
/// Utf8JsonReader refuses to turn into a string. Such a half becomes U+FFFD and the rest of the record is kept.
/// </summary>
internal static class JsonText
{
    public static string? String(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException) when (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
        {
            return Unescape(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        }
    }

    /// <summary>The raw (still escaped) bytes between the quotes, unescaped with lone surrogates replaced.</summary>
    internal static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length)
                continue;
            text.Append(Encoding.UTF8.GetString(raw[start..i]));
            var escape = raw[++i];
            if (escape == (byte)'u' && i + 4 < raw.Length
                && int.TryParse(Encoding.ASCII.GetString(raw.Slice(i + 1, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var unit))
            {
                text.Append((char)unit);
                i += 4;
            }
            else
                text.Append(escape switch
                {
                    (byte)'b' => '\b', (byte)'f' => '\f', (byte)'n' => '\n', (byte)'r' => '\r', (byte)'t' => '\t',
                    _ => (char)escape,
                });
            start = i + 1;
        }
        text.Append(Encoding.UTF8.GetString(raw[start..]));
        // Pairs written as two escapes joined up above; what is left alone is replaced.
        var chars = text.ToString().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                i++;
            else if (char.IsSurrogate(chars[i]))
                chars[i] = '\uFFFD';
        }
        return new string(chars);
    }
}
