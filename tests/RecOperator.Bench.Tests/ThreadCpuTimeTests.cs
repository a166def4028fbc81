using RecOperator.Bench.Load;

namespace RecOperator.Bench.Tests;

public sealed class ThreadCpuTimeTests
{
    [Fact]
    public void Seconds_CountsThisThreadsWorkAndNotItsSleep()
    {
        var start = ThreadCpuTime.Seconds();
        start.Should().NotBeNull("the tests run on Linux");

        Thread.Sleep(300);
        var afterSleep = ThreadCpuTime.Seconds()!.Value;
        var spin = System.Diagnostics.Stopwatch.StartNew();
        var sum = 0L;
        while (spin.ElapsedMilliseconds < 300)
        {
            sum += spin.ElapsedTicks & 1;
        }
        var afterWork = ThreadCpuTime.Seconds()!.Value;

        (afterSleep - start!.Value).Should().BeLessThan(0.1, "a sleeping thread uses no CPU");
        (afterWork - afterSleep).Should().BeGreaterThan(0.05, $"300 ms of busy work is this thread's CPU (sum {sum})");
    }
}
