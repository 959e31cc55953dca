using ForumPrefs.Sources.Http;
using Polly;
using Polly.Retry;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Sources.Html;

/// <summary>What fetching a page gave: its HTML, or why not (robots.txt), and whether the cache answered.</summary>
public sealed record FetchedPage(Uri Url, string? Html, bool FromCache, string? Refused);

/// <summary>
/// Fetches pages politely: robots.txt is honoured (unless told otherwise) and read once per host, requests to one host
/// are spaced by a minimum interval (or the site's Crawl-delay), transient failures are retried with back-off (Polly),
/// and pages are cached on disk and revalidated with conditional GETs (ETag / Last-Modified), so a re-crawl of unchanged
/// pages downloads nothing.
/// </summary>
public sealed class PoliteFetcher
{
    private readonly HttpClient _http;
    private readonly string _userAgent;
    private readonly TimeSpan _interval;
    private readonly bool _ignoreRobots;
    private readonly string _cacheFolder;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private readonly Dictionary<string, RobotsRules> _robots = [];
    private readonly Dictionary<string, DateTimeOffset> _lastRequest = [];

    /// <summary>Bytes one page may have (decompressed); larger pages are refused.</summary>
    public long MaxPageBytes { get; init; } = 20L * 1024 * 1024;

    public PoliteFetcher(HttpClient http, string userAgent, TimeSpan interval, bool ignoreRobots, string cacheFolder, TimeProvider time)
    {
        (_http, _userAgent, _interval, _ignoreRobots, _cacheFolder, _time) = (http, userAgent, interval, ignoreRobots, cacheFolder, time);
        Directory.CreateDirectory(cacheFolder);
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>(),
            })
            .Build();
    }

    public int Requests { get; private set; }

    public async Task<FetchedPage> GetAsync(Uri url, CancellationToken cancellationToken = default)
    {
        if (!_ignoreRobots && !(await RobotsAsync(url, cancellationToken)).Allows(url))
            return new FetchedPage(url, null, false, "disallowed by robots.txt");
        var cached = ReadCache(url);
        using var response = await SendAsync(url, cached, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
            return new FetchedPage(url, cached.Value.Html, true, null);
        if (!response.IsSuccessStatusCode)
            return new FetchedPage(url, null, false, $"HTTP {(int)response.StatusCode}");
        var html = await LimitedBody.ReadAsync(response.Content, MaxPageBytes, cancellationToken);
        if (html is null)
            return new FetchedPage(url, null, false, $"page larger than {MaxPageBytes / (1024.0 * 1024):0.#} MB (--max-page-mb)");
        WriteCache(url, html, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified);
        return new FetchedPage(url, html, false, null);
    }

    private async Task<RobotsRules> RobotsAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = url.GetLeftPart(UriPartial.Authority);
        if (_robots.TryGetValue(host, out var known))
            return known;
        using var response = await SendAsync(new Uri(host + "/robots.txt"), null, cancellationToken);
        var rules = response.IsSuccessStatusCode
            ? RobotsRules.Parse(await LimitedBody.ReadAsync(response.Content, RobotsRules.MaxBytes, cancellationToken, truncate: true) ?? "", _userAgent)
            : RobotsRules.AllowAll; // no robots.txt (4xx): everything is allowed
        return _robots[host] = rules;
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, (string Html, string? ETag, DateTimeOffset? LastModified)? cached, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(async token =>
        {
            await PaceAsync(url, token);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            if (cached?.ETag is { } etag)
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            if (cached?.LastModified is { } modified)
                request.Headers.IfModifiedSince = modified;
            Requests++;
            // Headers first: the body is read by LimitedBody, never more than the limit.
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // HttpClient reports its timeout as a cancellation: as one, it was never retried and the crawl ended
                // "interrupted" (exit 130), as if the user had stopped it.
                throw new TimeoutException($"{url.Host} gave no answer within {_http.Timeout.TotalSeconds:0} s");
            }
            if ((int)response.StatusCode >= 500)
            {
                response.Dispose();
                throw new HttpRequestException($"{url.Host} answered {(int)response.StatusCode}");
            }
            return response;
        }, cancellationToken);

    private async Task PaceAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = url.Host;
        var interval = _robots.TryGetValue(url.GetLeftPart(UriPartial.Authority), out var rules) && rules.CrawlDelay > _interval
            ? rules.CrawlDelay.Value : _interval;
        // Spaced from the previous request by the interval known now (robots.txt may have just brought a Crawl-delay).
        var now = _time.GetUtcNow();
        var at = _lastRequest.TryGetValue(host, out var last) && last + interval > now ? last + interval : now;
        _lastRequest[host] = at;
        if (at > now)
            await Task.Delay(at - now, _time, cancellationToken);
    }

    private string CachePath(Uri url, string extension) =>
        Path.Combine(_cacheFolder, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..32] + extension);

    private (string Html, string? ETag, DateTimeOffset? LastModified)? ReadCache(Uri url)
    {
        var (body, meta) = (CachePath(url, ".html"), CachePath(url, ".json"));
        if (!File.Exists(body) || !File.Exists(meta))
            return null;
        var info = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(meta));
        return info is null ? null : (File.ReadAllText(body), info.ETag, info.LastModified);
    }

    private void WriteCache(Uri url, string html, string? etag, DateTimeOffset? lastModified)
    {
        File.WriteAllText(CachePath(url, ".html"), html);
        File.WriteAllText(CachePath(url, ".json"), JsonSerializer.Serialize(new CacheEntry(url.AbsoluteUri, etag, lastModified)));
    }

    private sealed record CacheEntry(string Url, string? ETag, DateTimeOffset? LastModified);
}
