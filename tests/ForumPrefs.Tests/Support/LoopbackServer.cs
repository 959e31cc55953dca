using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ForumPrefs.Tests.Support;

/// <summary>The builder every fake server starts from: loopback on a free port, no logging, and no configuration file
/// watcher. Each watcher takes an inotify instance, and test machines allow as few as 128 of them, so many servers in
/// one test run would otherwise fail to start.</summary>
public static class LoopbackServer
{
    public static WebApplicationBuilder Builder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }
}
