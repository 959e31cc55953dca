using ForumPrefs.Sources.RedditApi;
using Microsoft.Extensions.Time.Testing;
using System.Net.Http.Headers;

namespace ForumPrefs.Tests.Reddit;

/// <summary>The rate limiter on a fake clock, against a simulated server that enforces its quota per window.</summary>
public sealed class RateLimiterTests
{
    private static HttpResponseHeaders Headers(int used, int remaining, int reset)
    {
        var headers = new HttpResponseMessage().Headers;
        headers.Add("X-Ratelimit-Used", used.ToString());
        headers.Add("X-Ratelimit-Remaining", remaining.ToString());
        headers.Add("X-Ratelimit-Reset", reset.ToString());
        return headers;
    }

    [Theory]
    [InlineData(100, 600)]
    [InlineData(10, 60)]
    [InlineData(1, 30)]
    public void Requests_never_exceed_the_remaining_quota_within_a_window_and_are_spread_over_it(int quota, int windowSeconds)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var limiter = new RateLimiter(clock);
        var window = TimeSpan.FromSeconds(windowSeconds);
        var windowEnd = clock.GetUtcNow() + window;
        var used = 0;
        var sentAt = new List<DateTimeOffset>();

        for (var request = 0; request < quota * 3 + 5; request++)
        {
            clock.Advance(limiter.Reserve());
            var now = clock.GetUtcNow();
            if (now >= windowEnd)
            {
                windowEnd = now + window;
                used = 0;
            }
            used++;
            Assert.True(used <= quota, $"request {used} in a window of {quota}");
            sentAt.Add(now);
            limiter.Observe(Headers(used, quota - used, (int)Math.Ceiling((windowEnd - now).TotalSeconds)));
        }

        // The requests took about as many windows as the quota forces: the quota was used, not hoarded.
        var windows = Math.Ceiling((double)sentAt.Count / quota);
        var span = sentAt[^1] - sentAt[0];
        Assert.InRange(span.TotalSeconds, windowSeconds * (windows - 2), windowSeconds * (windows + 1));
    }

    [Fact]
    public void A_429_waits_for_Retry_After()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(clock);
        var headers = new HttpResponseMessage().Headers;
        headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(42));

        limiter.TooManyRequests(headers);

        Assert.Equal(TimeSpan.FromSeconds(42), limiter.Reserve());
        clock.Advance(TimeSpan.FromSeconds(42));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
    }

    [Fact]
    public void Without_headers_requests_go_at_once()
    {
        var limiter = new RateLimiter(new FakeTimeProvider());
        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        Assert.Null(limiter.Remaining);
    }

    [Theory]
    [InlineData("linux:forumprefs:0.1 (by /u/someone)", true)]
    [InlineData("forumprefs/0.1", false)]
    [InlineData("linux:forumprefs:0.1", false)]
    public void User_agents_are_checked_against_Reddit_s_form(string agent, bool wellFormed) =>
        Assert.Equal(wellFormed, RedditOptions.IsWellFormedUserAgent(agent));

    [Fact]
    public void Credentials_come_from_the_environment_and_never_print_the_secret()
    {
        var env = new Dictionary<string, string?> { ["REDDIT_CLIENT_ID"] = "abc", ["REDDIT_CLIENT_SECRET"] = "hunter2", ["REDDIT_USERNAME"] = "me", ["REDDIT_PASSWORD"] = "pw123" };
        var credentials = RedditCredentials.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.True(credentials.IsScriptApp);
        Assert.DoesNotContain("hunter2", credentials.ToString());
        Assert.DoesNotContain("pw123", credentials.ToString());
        var missing = Assert.Throws<RedditApiException>(() => RedditCredentials.FromEnvironment(_ => null));
        Assert.Contains("REDDIT_CLIENT_ID", missing.Message);
    }
}
