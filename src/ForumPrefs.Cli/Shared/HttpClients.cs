using System.Net;

namespace ForumPrefs.Cli;

/// <summary>The HTTP clients crawls use: compressed responses accepted; timeouts and retries are the source's own.</summary>
internal static class HttpClients
{
    public static HttpClient Create(TimeSpan timeout) =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = timeout };
}
