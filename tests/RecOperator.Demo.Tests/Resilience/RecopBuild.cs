using System.Diagnostics;
using RecOperator.DevCluster.NodeAgent;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// Builds the `recop` CLI once before the first end-to-end test: the node agent starts pods as `./recop pod`, which
/// builds the CLI first when a source changed, and a test that waits 75 s for its first ready pod must not pay for a
/// build of a minute or two (the script's lock makes concurrent callers wait for the one build).
/// </summary>
public sealed class RecopBuild : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot.Find(), "recop")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./recop --help exited {process.ExitCode}: {await error}{await output}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
