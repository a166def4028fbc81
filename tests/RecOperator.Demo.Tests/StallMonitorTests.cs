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
        // A pool capped just above the cores, every worker then blocked (what sync-over-async does): a timer's continuation
        // waits in the queue. Earlier tests in this process may have raised the pool's floor and grown its thread count,
        // so the cap is set here and put back after; this collection runs alone.
        ThreadPool.GetMinThreads(out var minWorkers, out var minPorts);
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxPorts);
        var cap = Environment.ProcessorCount + 2;
        ThreadPool.SetMinThreads(Environment.ProcessorCount, minPorts).Should().BeTrue();
        ThreadPool.SetMaxThreads(cap, maxPorts).Should().BeTrue();
        try
        {
            using var release = new ManualResetEventSlim();
            var blockers = Enumerable.Range(0, cap).Select(_ => Task.Run(() => release.Wait(TimeSpan.FromSeconds(10)))).ToList();
            var releaser = new Thread(() =>
            {
                Thread.Sleep(1000);
                release.Set();
            });
            releaser.Start();
            await Task.WhenAll(blockers);
            releaser.Join();
        }
        finally
        {
            ThreadPool.SetMaxThreads(maxWorkers, maxPorts);
            ThreadPool.SetMinThreads(minWorkers, minPorts);
        }
        await Task.Delay(200);

        monitor.Stalls.Should().Contain(s => s.Kind == StallKind.ThreadPool && s.Milliseconds >= 150, "the pool's timer continuation waited");
        monitor.Stalls.Should().NotContain(s => s.Kind == StallKind.Process && s.Milliseconds >= 500, "the dedicated thread kept running");
    }
}
