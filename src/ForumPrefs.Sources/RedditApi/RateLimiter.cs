using System.Globalization;
using ForumPrefs.Sources.Http;
using System.Net.Http.Headers;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// Paces requests by Reddit's X-Ratelimit-Used / -Remaining / -Reset headers: the remaining quota is spread evenly
/// over what is left of the window, a request is never sent when none is left, and a 429 waits for the reset (or
/// Retry-After). Every number is read through <see cref="ServerWaits"/>: NaN, negatives and huge values cannot crash
/// the crawl, and no wait is longer than <see cref="ServerWaits.Max"/>; waits of 10 s or more are announced.
/// Time comes from a <see cref="TimeProvider"/>, so tests run it on a fake clock.
/// </summary>
public sealed class RateLimiter(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _windowEnd = DateTimeOffset.MinValue;
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private int? _remaining;

    /// <summary>Where long waits are said out loud.</summary>
    public Action<string>? Notice { get; init; }

    /// <summary>Requests left in the current window, as last reported and counted down since.</summary>
    public int? Remaining => _remaining;

    /// <summary>How long to wait before the next request; the request's slot is taken from the quota.</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now >= _windowEnd && _remaining is not null)
            {
                // A new window: the next response tells us its quota.
                _remaining = null;
                _next = now;
            }
            var start = _remaining is <= 0 ? _windowEnd : _next > now ? _next : now;
            if (_remaining is <= 0)
                _remaining = null; // the window will have reset by the time this request goes out
            else if (_remaining is { } left)
                _remaining = left - 1;
            var spacing = _remaining is { } r && _windowEnd > start ? (_windowEnd - start) / Math.Max(r + 1, 1) : TimeSpan.Zero;
            _next = start + spacing;
            return start > now ? start - now : TimeSpan.Zero;
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = ServerWaits.Clamp(Reserve());
        if (delay >= ServerWaits.Announced)
            Notice?.Invoke(ServerWaits.Notice(delay, "Reddit"));
        return delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Takes the quota and window a response reports.</summary>
    public void Observe(HttpResponseHeaders headers)
    {
        var remaining = Number(headers, "X-Ratelimit-Remaining");
        var reset = ServerWaits.Seconds(Number(headers, "X-Ratelimit-Reset"));
        if (remaining is not (>= 0 and < int.MaxValue) || reset is null)
            return;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _windowEnd = now + reset.Value;
            _remaining = (int)Math.Floor(remaining.Value);
            _next = _remaining > 0 ? now + (_windowEnd - now) / (_remaining.Value + 1) : _windowEnd;
        }
    }

    /// <summary>A 429: nothing more until the reset (or Retry-After).</summary>
    public void TooManyRequests(HttpResponseHeaders headers)
    {
        var wait = ServerWaits.RetryAfter(headers, time.GetUtcNow()) ?? ServerWaits.Seconds(Number(headers, "X-Ratelimit-Reset")) ?? TimeSpan.FromSeconds(60);
        lock (_gate)
        {
            _remaining = 0;
            _windowEnd = time.GetUtcNow() + wait;
            _next = _windowEnd;
        }
    }

    private static double? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value : null;
}
