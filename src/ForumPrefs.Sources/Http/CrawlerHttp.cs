using System.Net;
using System.Text.Json;

namespace ForumPrefs.Sources.Http;

/// <summary>
/// The one HTTP layer every crawler client sends through. Redirects are followed here, not by HttpClient: each hop
/// stays on the first host unless <see cref="AllowOtherHosts"/>, is checked against robots.txt, and gets the
/// client's credentials only while it is on the first host (.NET itself drops only Authorization on a redirect).
/// Bodies are read up to <see cref="MaxBodyBytes"/> and JSON up to <see cref="MaxJsonDepth"/>.
/// </summary>
public sealed class CrawlerHttp(HttpClient http)
{
    public const int DefaultMaxRedirects = 5;
    public const long DefaultMaxBodyBytes = 64L << 20;
    /// <summary>Reddit nests five JSON levels a comment level: 1,000 is about 200 levels of replies.</summary>
    public const int MaxJsonDepth = 1000;

    /// <summary>A client that decompresses and leaves redirects to <see cref="SendAsync"/>.</summary>
    public static HttpClient CreateClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, AllowAutoRedirect = false }) { Timeout = timeout };

    public int MaxRedirects { get; init; } = DefaultMaxRedirects;
    public bool AllowOtherHosts { get; init; }
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>
    /// Sends <paramref name="build"/>'s request for <paramref name="url"/> and follows redirects. <paramref name="build"/>
    /// gets null for the first request (its own method) and the method to use for each redirect.
    /// <paramref name="credentials"/> is applied to hops on the first host only; <paramref name="allowed"/> (robots.txt)
    /// is asked for every hop after the first. A redirect to another host, one robots.txt forbids, or a loop is a
    /// <see cref="FetchFailedException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Uri url, Func<Uri, HttpMethod?, HttpRequestMessage> build,
        Action<HttpRequestMessage>? credentials, Func<Uri, CancellationToken, Task<bool>>? allowed, CancellationToken cancellationToken)
    {
        var first = url;
        var method = (HttpMethod?)null;
        for (var hop = 0; ; hop++)
        {
            using var request = build(url, method);
            method = request.Method;
            if (SameHost(url, first))
                credentials?.Invoke(request);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                return response;
            response.Dispose();
            var next = new Uri(url, location);
            if (hop >= MaxRedirects)
                throw new FetchFailedException(FetchFailure.ServerError, $"more than {MaxRedirects} redirects from {first.AbsolutePath}");
            if (next.Scheme is not ("http" or "https"))
                throw new FetchFailedException(FetchFailure.OffHost, $"{first.AbsolutePath} redirected to a {next.Scheme} URL");
            if (!SameHost(next, first) && !AllowOtherHosts)
                throw new FetchFailedException(FetchFailure.OffHost, $"{first.AbsolutePath} redirected to another host ({next.Host})");
            if (allowed is not null && !await allowed(next, cancellationToken))
                throw new FetchFailedException(FetchFailure.Disallowed, $"{first.AbsolutePath} redirected to {next.AbsolutePath}, which robots.txt does not allow");
            // 303, and 301/302 after a POST, continue as GET (as browsers do); 307 and 308 keep the method.
            if ((int)response.StatusCode == 303 || ((int)response.StatusCode is 301 or 302 && method == HttpMethod.Post))
                method = HttpMethod.Get;
            url = next;
        }
    }

    /// <summary>The body, or a <see cref="FetchFailedException"/> (too big) once it passes <see cref="MaxBodyBytes"/>.</summary>
    public async Task<byte[]> ReadBytesAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await LimitedBody.ReadBytesAsync(response.Content, MaxBodyBytes, cancellationToken)
        ?? throw new FetchFailedException(FetchFailure.TooBig,
            $"{response.RequestMessage?.RequestUri?.AbsolutePath} is larger than {MaxBodyBytes / (1024.0 * 1024):0.#} MB");

    /// <summary>
    /// JSON up to <see cref="MaxJsonDepth"/> levels. Deeper JSON that is otherwise whole is a
    /// <see cref="FetchFailedException"/> (too deep: asking again gives the same); JSON cut short stays a
    /// <see cref="JsonException"/>, which the retry policies retry.
    /// </summary>
    public static JsonDocument ParseJson(byte[] body, string what)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException) when (DeeperThan(body, MaxJsonDepth))
        {
            throw new FetchFailedException(FetchFailure.TooDeep, $"{what} is nested deeper than {MaxJsonDepth} JSON levels");
        }
    }

    private static bool DeeperThan(byte[] body, int depth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue / 2 });
        var deepest = 0;
        try
        {
            while (reader.Read())
                deepest = Math.Max(deepest, reader.CurrentDepth + 1);
        }
        catch (JsonException)
        {
            return false; // cut or broken: not a question of depth
        }
        return deepest > depth;
    }

    /// <summary>The same host, on the same port, or moved from http to https (never down from https).</summary>
    private static bool SameHost(Uri next, Uri first) =>
        string.Equals(next.Host, first.Host, StringComparison.OrdinalIgnoreCase)
        && (next.Scheme == first.Scheme ? next.Port == first.Port : next.Scheme == "https");
}
