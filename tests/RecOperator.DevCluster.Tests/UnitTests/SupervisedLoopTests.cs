using RecOperator.DevCluster.Hosting;
using RecOperator.Tests.Shared;

namespace RecOperator.DevCluster.Tests.UnitTests;

public sealed class SupervisedLoopTests
{
    [Fact]
    public async Task RunAsync_ControllerThrows_LoggedAndStartedAgainUntilItReturns()
    {
        var logger = new ListLogger();
        var starts = 0;

        await SupervisedLoop.RunAsync("garbage collector", _ =>
        {
            starts++;
            return starts < 3 ? throw new InvalidOperationException($"crash {starts}") : Task.CompletedTask;
        }, logger, TimeSpan.FromMilliseconds(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        starts.Should().Be(3);
        logger.Messages.Should().HaveCount(2).And.AllSatisfy(m => m.Should().StartWith("Error: the garbage collector stopped on an error; starting it again in 0.01 s"));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingToRestart_ReturnsWithoutAnotherStart()
    {
        var logger = new ListLogger();
        using var stop = new CancellationTokenSource();
        var starts = 0;

        var loop = SupervisedLoop.RunAsync("disruption controller", _ =>
        {
            starts++;
            stop.Cancel();
            throw new InvalidOperationException("crash");
        }, logger, TimeSpan.FromMinutes(5), stop.Token);

        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        starts.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_CancelledControllerWhenStopping_EndsQuietly()
    {
        var logger = new ListLogger();
        using var stop = new CancellationTokenSource();

        var loop = SupervisedLoop.RunAsync("garbage collector", async ct => await Task.Delay(Timeout.Infinite, ct), logger, TimeSpan.FromMilliseconds(10), stop.Token);
        await stop.CancelAsync();

        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        logger.Messages.Should().BeEmpty();
    }
}
