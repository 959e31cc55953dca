using System.Text;

namespace ForumPrefs.Sources.Http;

/// <summary>A response body read without ever holding more than a limit of it.</summary>
public static class LimitedBody
{
    /// <summary>The body as text, or null when it is longer than <paramref name="limit"/> bytes (or the start, with truncate).</summary>
    public static async Task<string?> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken, bool truncate = false)
    {
        var buffer = await ReadAsync(content, limit, truncate, cancellationToken);
        if (buffer is null)
            return null;
        var encoding = content.Headers.ContentType?.CharSet is { Length: > 0 } charset ? TryEncoding(charset.Trim('"')) : null;
        return (encoding ?? Encoding.UTF8).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The body's bytes, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadBytesAsync(HttpContent content, long limit, CancellationToken cancellationToken) =>
        (await ReadAsync(content, limit, truncate: false, cancellationToken))?.ToArray();

    private static async Task<MemoryStream?> ReadAsync(HttpContent content, long limit, bool truncate, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit && !truncate)
            return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                if (!truncate)
                    return null;
                buffer.Write(chunk, 0, (int)(limit - buffer.Length));
                break;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer;
    }

    private static Encoding? TryEncoding(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
