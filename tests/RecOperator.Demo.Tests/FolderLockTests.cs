using RecOperator.Demo.Setup;

namespace RecOperator.Demo.Tests;

public sealed class FolderLockTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "recop-folder-lock-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AcquireAsync_HeldByAnotherCaller_WaitsUntilItIsReleased()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await FolderLock.AcquireAsync(_folder, timeout.Token);

        var second = FolderLock.AcquireAsync(_folder, timeout.Token);
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token));
        second.IsCompleted.Should().BeFalse("the folder is still locked by the first caller");

        first.Dispose();
        using var held = await second.WaitAsync(TimeSpan.FromSeconds(10), timeout.Token);
        File.Exists(Path.Combine(_folder, ".lock")).Should().BeTrue();
    }

    [Fact]
    public async Task AcquireAsync_CallerCancelsWhileWaiting_StopsWaiting()
    {
        using var first = await FolderLock.AcquireAsync(_folder, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var waiting = () => FolderLock.AcquireAsync(_folder, cancel.Token);

        await waiting.Should().ThrowAsync<OperationCanceledException>();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
