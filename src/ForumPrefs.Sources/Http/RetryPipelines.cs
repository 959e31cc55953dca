using Polly;
using Polly.Retry;
using System.Text.Json;

namespace ForumPrefs.Sources.Http;

/// <summary>
/// The retry policy every JSON API client here uses: jittered exponential back-off on the given transient errors plus
/// timeouts, dropped connections and cut-off bodies (JSON that does not parse); a server-given wait replaces the back-off.
/// </summary>
public static class RetryPipelines
{
    /// <param name="transient">The client's own transient errors (5xx, 429) besides the common ones.</param>
    /// <param name="serverDelay">The wait an error carries (a 429's Retry-After), or null for the back-off.</param>
    public static ResiliencePipeline JsonApi(TimeProvider time, int maxRetries, TimeSpan baseDelay, Func<Exception, bool> transient,
        Func<Exception, TimeSpan?> serverDelay, Action onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e =>
                    transient(e) || e is TimeoutException or HttpRequestException or JsonException or IOException),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? serverDelay(e) : null),
                OnRetry = _ =>
                {
                    onRetry();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
