using RecOperator.Demo.Setup;

namespace RecOperator.Demo.Tests;

public sealed class DemoArtifactsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "recop-demo-artifacts-" + Guid.NewGuid().ToString("N"));

    // Two end-to-end fleets starting side by side on a fresh clone each found no model and built one into the same
    // folder: the second's File.Create of the .partial file failed with "being used by another process". Builders now
    // take the folder's lock; here the test holds it, as a first builder would, for longer than a build takes (about 1 s).
    [Fact]
    public async Task EnsureAsync_FolderLockedByAnotherBuilder_BuildsNothingUntilItIsReleasedThenReturnsTheArtifacts()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var other = await FolderLock.AcquireAsync(_folder, timeout.Token);

        var ensure = Task.Run(() => DemoArtifacts.EnsureAsync(_folder, TextWriter.Null, timeout.Token));
        await Task.WhenAny(ensure, Task.Delay(TimeSpan.FromSeconds(3), timeout.Token));
        ensure.IsCompleted.Should().BeFalse("another builder holds the folder");
        Directory.EnumerateFiles(_folder, "*.onnx*", SearchOption.AllDirectories).Should().BeEmpty("nothing is written while another builder holds the folder");

        other.Dispose();
        var (fp32, int8) = await ensure.WaitAsync(TimeSpan.FromMinutes(2), timeout.Token);
        File.Exists(fp32.Path).Should().BeTrue();
        File.Exists(int8.Path).Should().BeTrue();
        int8.Sha256.Should().NotBe(fp32.Sha256);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
