using RecOperator.InferencePod.Batching;

namespace RecOperator.InferencePod.Tests;

public sealed class BatchQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryAdd_PastCapacity_RefusesAtOnceAndKeepsOrder()
    {
        var queue = new BatchQueue<string>(2);

        queue.TryAdd("a").Should().Be(BatchQueue<string>.AddResult.Added);
        queue.TryAdd("b").Should().Be(BatchQueue<string>.AddResult.Added);
        queue.TryAdd("c").Should().Be(BatchQueue<string>.AddResult.Full);

        queue.Take(TimeSpan.Zero).Should().Be("a");
        queue.TryAdd("c").Should().Be(BatchQueue<string>.AddResult.Added);
        queue.Take(TimeSpan.Zero).Should().Be("b");
        queue.Take(TimeSpan.Zero).Should().Be("c");
    }

    [Fact]
    public void Take_EmptyWithATimeout_ReturnsNullOnceItPassed()
    {
        var queue = new BatchQueue<string>(4);

        queue.Take(TimeSpan.Zero).Should().BeNull();
        queue.Take(TimeSpan.FromMilliseconds(-5)).Should().BeNull();
        var started = System.Diagnostics.Stopwatch.StartNew();
        queue.Take(TimeSpan.FromMilliseconds(30)).Should().BeNull();
        // The window is honoured, never cut short (a lower bound only: how late a sleeper wakes is the machine's).
        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(29));
    }

    [Fact]
    public async Task Take_Waiting_WakesForTheNextAdd()
    {
        var queue = new BatchQueue<string>(4);
        var taker = Task.Factory.StartNew(() => queue.Take(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(50);
        taker.IsCompleted.Should().BeFalse("nothing was added yet");

        queue.TryAdd("x").Should().Be(BatchQueue<string>.AddResult.Added);

        (await taker.WaitAsync(Patience)).Should().Be("x");
    }

    [Fact]
    public async Task Complete_WithItemsLeftAndWorkersWaiting_DrainsThenEveryTakerGetsNull()
    {
        var queue = new BatchQueue<string>(4);
        var waiters = Enumerable.Range(0, 2)
            .Select(_ => Task.Factory.StartNew(() => queue.Take(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        await Task.Delay(50);

        queue.Complete();

        (await Task.WhenAll(waiters).WaitAsync(Patience)).Should().AllSatisfy(item => item.Should().BeNull());
        queue.TryAdd("late").Should().Be(BatchQueue<string>.AddResult.Completed);

        var drained = new BatchQueue<string>(4);
        drained.TryAdd("left");
        drained.Complete();
        drained.Take().Should().Be("left");
        drained.Take().Should().BeNull();
    }
}
