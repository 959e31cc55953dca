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
/// pages downloads nothing. Redirects go through <see cref="CrawlerHttp"/>: each hop stays on the page's host and is
/// checked against robots.txt. A page that cannot be had (4xx, 5xx after the retries, too big, a redirect elsewhere)
/// comes back with its reason, never as an exception: the crawl goes on. Cache files are written under temporary
/// names and moved into place, and each entry records its page's hash, so a cut or damaged entry is fetched anew.
/// </summary>
public sealed class PoliteFetcher
{
    private readonly CrawlerHttp _http;
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
        (_http, _userAgent, _interval, _ignoreRobots, _cacheFolder, _time) = (new CrawlerHttp(http), userAgent, interval, ignoreRobots, cacheFolder, time);
        _timeout = http.Timeout;
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

    private readonly TimeSpan _timeout;

    public int Requests { get; private set; }

    /// <summary>Where a long Crawl-delay is announced (once per host).</summary>
    public Action<string>? Notice { get; init; }

    /// <summary>Cache entries found cut or damaged (a kill or a full disk while writing): fetched whole again.</summary>
    public int DamagedCacheEntries { get; private set; }

    public async Task<FetchedPage> GetAsync(Uri url, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await AllowedAsync(url, cancellationToken))
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
        catch (FetchFailedException ex)
        {
            return new FetchedPage(url, null, false, $"{ex.Reason}: {ex.Message}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException)
        {
            return new FetchedPage(url, null, false, $"server error after retries: {ex.Message}");
        }
    }

    private async Task<bool> AllowedAsync(Uri url, CancellationToken cancellationToken) =>
        _ignoreRobots || (await RobotsAsync(url, cancellationToken)).Allows(url);

    private async Task<RobotsRules> RobotsAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = url.GetLeftPart(UriPartial.Authority);
        if (_robots.TryGetValue(host, out var known))
            return known;
        RobotsRules rules;
        try
        {
            using var response = await SendAsync(new Uri(host + "/robots.txt"), null, cancellationToken, robots: true);
            rules = response.IsSuccessStatusCode
                ? RobotsRules.Parse(await LimitedBody.ReadAsync(response.Content, RobotsRules.MaxBytes, cancellationToken, truncate: true) ?? "", _userAgent)
                : RobotsRules.AllowAll; // no robots.txt (4xx): everything is allowed
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException or FetchFailedException)
        {
            rules = RobotsRules.DisallowAll; // unreachable (5xx after retries): RFC 9309 takes it as complete disallow
        }
        if (ServerWaits.CrawlDelayNotice(url.Host, rules.CrawlDelay, _interval) is { } notice)
            Notice?.Invoke(notice);
        return _robots[host] = rules;
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, (string Html, string? ETag, DateTimeOffset? LastModified)? cached,
        CancellationToken cancellationToken, bool robots = false) =>
        await _retry.ExecuteAsync(async token =>
        {
            await PaceAsync(url, token);
            Requests++;
            // Headers first: the body is read by LimitedBody, never more than the limit. Redirects of a page are checked
            // against robots.txt; robots.txt itself may move within its host.
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(url, (u, method) =>
                {
                    var request = new HttpRequestMessage(method ?? HttpMethod.Get, u);
                    request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
                    if (u == url && cached?.ETag is { } etag)
                        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                    if (u == url && cached?.LastModified is { } modified)
                        request.Headers.IfModifiedSince = modified;
                    return request;
                }, null, robots ? null : AllowedAsync, token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // HttpClient reports its timeout as a cancellation: as one, it was never retried and the crawl ended
                // "interrupted" (exit 130), as if the user had stopped it.
                throw new TimeoutException($"{url.Host} gave no answer within {_timeout.TotalSeconds:0} s");
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
        try
        {
            var info = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(meta));
            var html = File.ReadAllText(body);
            if (info is not null && info.Url == url.AbsoluteUri && info.Sha256 == Hash(html))
                return (html, info.ETag, info.LastModified);
        }
        catch (JsonException)
        {
        }
        // Cut short or from an older version: no validators are sent, so the page comes whole and replaces the entry.
        DamagedCacheEntries++;
        return null;
    }

    private void WriteCache(Uri url, string html, string? etag, DateTimeOffset? lastModified)
    {
        // The page first, then the entry that vouches for it: a kill between the two leaves an entry that fails its hash.
        WriteWhole(CachePath(url, ".html"), html);
        WriteWhole(CachePath(url, ".json"), JsonSerializer.Serialize(new CacheEntry(url.AbsoluteUri, etag, lastModified, Hash(html))));
    }

    private static void WriteWhole(string path, string text)
    {
        var temporary = path + ".partial";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Hash(string html) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(html)));

    private sealed record CacheEntry(string Url, string? ETag, DateTimeOffset? LastModified, string? Sha256 = null);
}
