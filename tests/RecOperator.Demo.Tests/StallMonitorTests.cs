using System.Diagnostics;
using RecOperator.Demo.Load;

namespace RecOperator.Demo.Tests;

/// <summary>The demo's stall monitor tells a starved thread pool from a process that runs on.</summary>
[Collection(StallMonitorTests.Alone)]
public sealed class StallMonitorTests
{
    public const string Alone = "thread pool starved on purpose";

    [Fact]
    public async Task Stalls_ThreadPoolThreadsBlocked_RecordedAsThreadPoolStallNotAsProcessStall()
    {
        var clock = Stopwatch.StartNew();
        await using var monitor = new StallMonitor(clock, TimeSpan.FromMilliseconds(150));
        await Task.Delay(100);
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        using var release = new ManualResetEventSlim();
        // More blocked pool threads than the pool keeps ready (what sync-over-async does): the pool adds threads
        // only slowly, so a timer's continuation waits in the queue meanwhile.
        var blockers = Enumerable.Range(0, minWorkers + 8).Select(_ => Task.Run(() => release.Wait(TimeSpan.FromSeconds(10)))).ToList();
        var releaser = new Thread(() =>
        {
            Thread.Sleep(1000);
            release.Set();
        });
        releaser.Start();
        await Task.WhenAll(blockers);
        releaser.Join();
        await Task.Delay(200);

        monitor.Stalls.Should().Contain(s => s.Kind == StallKind.ThreadPool && s.Milliseconds >= 150, "the pool's timer continuation waited");
        monitor.Stalls.Should().NotContain(s => s.Kind == StallKind.Process && s.Milliseconds >= 500, "the dedicated thread kept running");
    }
}
