using System.Text;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// Blocking file work runs on the log's own thread, in order, and callers only await it: a thread-pool thread is never
/// held through an fsync.
/// </summary>
public sealed class SerialIoThreadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wal-io-test-").FullName;

    [Fact]
    public async Task RunAsync_QueuedWork_RunsInOrderOnItsOwnThreadAndFaultsWithTheActionsException()
    {
        using var io = new SerialIoThread("test-io");
        var order = new List<int>();
        var onPool = new List<bool>();
        var tasks = Enumerable.Range(0, 20).Select(i => io.RunAsync(() =>
        {
            order.Add(i);
            onPool.Add(Thread.CurrentThread.IsThreadPoolThread);
        })).ToList();
        var failing = io.RunAsync(() => throw new IOException("disk full"));

        await Task.WhenAll(tasks);
        var error = await Assert.ThrowsAsync<IOException>(() => failing);

        order.Should().Equal(Enumerable.Range(0, 20));
        onPool.Should().OnlyContain(p => !p, "the work runs on the dedicated thread");
        error.Message.Should().Be("disk full");
        await io.RunAsync(() => order.Add(99));
        order[^1].Should().Be(99, "a failed action does not stop the thread");
    }

    [Fact]
    public async Task AppendAsync_ThenCompactAsync_DurableInQueueOrder()
    {
        var (log, _) = WriteAheadLog.Open(_directory);
        var appends = Enumerable.Range(1, 50)
            .Select(i => log.AppendAsync(new WalRecord(i, "/configmaps", "ns", $"cm-{i % 5}", Encoding.UTF8.GetBytes($$"""{"x":{{i}}}""")))).ToList();
        await Task.WhenAll(appends);
        await log.CompactAsync(50, Enumerable.Range(46, 5).Select(i => new WalRecord(i, "/configmaps", "ns", $"cm-{i % 5}", Encoding.UTF8.GetBytes($$"""{"x":{{i}}}"""))));
        await log.AppendAsync(new WalRecord(51, "/configmaps", "ns", "cm-1", null));
        log.Dispose();

        var (reopened, records) = WriteAheadLog.Open(_directory);
        reopened.Dispose();

        records.Select(r => r.Revision).Should().Equal(50, 46, 47, 48, 49, 50, 51);
        records[^1].Json.Should().BeNull();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
