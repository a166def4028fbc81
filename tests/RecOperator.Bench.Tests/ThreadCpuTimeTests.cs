using RecOperator.Bench.Load;

namespace RecOperator.Bench.Tests;

public sealed class ThreadCpuTimeTests
{
    [Fact]
    public void Seconds_CountsThisThreadsWorkAndNotItsSleepNorAnotherThreadsWork()
    {
        var start = ThreadCpuTime.Seconds();
        start.Should().NotBeNull("the tests run on Linux");

        // Another thread burns CPU while this one sleeps: process CPU grows, this thread's must not.
        using var stop = new CancellationTokenSource();
        var other = new Thread(() => Spin(TimeSpan.FromSeconds(30), stop.Token)) { IsBackground = true };
        other.Start();
        Thread.Sleep(300);
        stop.Cancel();
        other.Join();
        var afterSleep = ThreadCpuTime.Seconds()!.Value;

        // Busy work until this thread has had 150 ms of CPU. On 2 cores shared with other test assemblies a fixed
        // wall-clock spin can get a fraction of that, so the bound is on time allowed, not on the CPU it must reach.
        var spun = System.Diagnostics.Stopwatch.StartNew();
        var afterWork = afterSleep;
        while (afterWork - afterSleep < 0.15 && spun.Elapsed < TimeSpan.FromSeconds(30))
        {
            Spin(TimeSpan.FromMilliseconds(10), CancellationToken.None);
            afterWork = ThreadCpuTime.Seconds()!.Value;
        }

        (afterSleep - start!.Value).Should().BeLessThan(0.1, "a sleeping thread uses no CPU, whatever other threads do");
        (afterWork - afterSleep).Should().BeGreaterThanOrEqualTo(0.15, $"this thread spun for {spun.Elapsed.TotalSeconds:F1} s");
    }

    private static void Spin(TimeSpan length, CancellationToken cancellation)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var sum = 0L;
        while (watch.Elapsed < length && !cancellation.IsCancellationRequested)
        {
            sum += watch.ElapsedTicks & 1;
        }
        GC.KeepAlive(sum);
    }
}
