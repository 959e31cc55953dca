namespace ForumPrefs.Tests.Support;

/// <summary>
/// A clock where waiting takes no real time: every timer fires at once and moves the clock forward by its due time.
/// Rate-limit pauses and retry back-offs of a whole crawl then run in milliseconds while the clock records them.
/// </summary>
public sealed class FastForwardTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public TimeSpan Waited { get; private set; }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _ticks, by.Ticks);
        Waited += by;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new Timer(this, callback, state, dueTime);

    private sealed class Timer : ITimer
    {
        private readonly FastForwardTime _time;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public Timer(FastForwardTime time, TimerCallback callback, object? state, TimeSpan dueTime)
        {
            (_time, _callback, _state) = (time, callback, state);
            Change(dueTime, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
                return true;
            _time.Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ => _callback(_state));
            return true;
        }

        public void Dispose() { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
