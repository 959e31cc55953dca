using ForumPrefs.Ingest;
using Spectre.Console;
using Spectre.Console.Rendering;
using System.Diagnostics;

namespace ForumPrefs.Cli.Output;

/// <summary>
/// Progress on stderr: a bar with rate and ETA when stderr is a terminal, otherwise a plain line every few
/// seconds so logs stay readable.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(3);

    /// <param name="work">Does the work and reports the number of items done so far.</param>
    /// <param name="detail">Extra live figures (requests, quota, …) shown after the counts.</param>
    /// <param name="totalNow">When the total is only known once the work has started (training), read it at each report.</param>
    public static async Task RunAsync(CliIO io, string description, long total, string unit, Func<IProgress<long>, Task> work,
        Func<string>? detail = null, Func<long>? totalNow = null)
    {
        if (io.ErrorIsTerminal)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Error) });
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new RateColumn(unit), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(description, maxValue: Math.Max(total, 1));
                    await work(new Progress<long>(done =>
                    {
                        if (totalNow is not null)
                            task.MaxValue = Math.Max(totalNow(), 1);
                        task.Value = done;
                        if (detail is not null)
                            task.Description = $"{description} [grey]{Markup.Escape(detail())}[/]";
                    }));
                    task.Value = task.MaxValue;
                });
            return;
        }

        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        long lastDone = 0;
        var reporter = new SyncProgress<long>(done =>
        {
            lastDone = done;
            if (clock.Elapsed - lastPrint < PlainInterval)
                return;
            lastPrint = clock.Elapsed;
            io.Error.WriteLine(PlainLine(description, done, totalNow?.Invoke() ?? total, unit, clock.Elapsed) + Detail(detail));
        });
        await work(reporter);
        io.Error.WriteLine(PlainLine(description, Math.Max(lastDone, 0), totalNow?.Invoke() ?? total, unit, clock.Elapsed) + Detail(detail));
    }

    /// <summary>Runs an ingest, drawing its reports (the total comes with each) and printing its notices.</summary>
    public static Task RunAsync(CliIO io, string description, string unit, Func<IngestReporter, Task> work, Func<string>? detail = null)
    {
        long total = 0;
        return RunAsync(io, description, 0, unit, progress => work(new IngestReporter(
            new SyncProgress<IngestProgress>(p =>
            {
                total = p.Total;
                progress.Report(p.Done);
            }), io.Error.WriteLine)), detail, () => total);
    }

    /// <summary>The same, for an ingest that runs synchronously and returns its result.</summary>
    public static async Task<T> RunAsync<T>(CliIO io, string description, string unit, Func<IngestReporter, T> work, Func<string>? detail = null)
    {
        T result = default!;
        await RunAsync(io, description, unit, reporter =>
        {
            result = work(reporter);
            return Task.CompletedTask;
        }, detail);
        return result;
    }

    private static string Detail(Func<string>? detail) => detail is null ? "" : $", {detail()}";

    internal static string PlainLine(string description, long done, long total, string unit, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        var percent = total > 0 ? 100.0 * done / total : 100;
        return $"{description}: {done:N0}/{total:N0} {unit} ({percent:F0}%), {rate:N0} {unit}/s, ETA {eta:hh\\:mm\\:ss}";
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class RateColumn(string unit) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Speed ?? 0:N0} {unit}/s");
    }
}
