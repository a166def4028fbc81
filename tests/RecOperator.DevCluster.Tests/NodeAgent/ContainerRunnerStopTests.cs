using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// A stop asked for twice: the shorter grace period wins, as a second delete's does. The node agent relies on it when
/// it stops while a pod is already draining with its own, long grace period.
/// </summary>
public sealed class ContainerRunnerStopTests : IDisposable
{
    // Ignores SIGTERM (an ignored signal stays ignored in what it execs), so only SIGKILL after the grace period ends it.
    private static readonly string[] Stubborn = ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"];
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("devcluster-runner-");

    [Fact]
    public async Task RequestStop_ShorterGraceWhileDraining_KilledAfterTheShorterOne()
    {
        var (runner, run) = await StartAsync();

        runner.RequestStop(TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        run.IsCompleted.Should().BeFalse("the process ignores SIGTERM and has 60 s before SIGKILL");
        runner.RequestStop(TimeSpan.Zero);

        (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(run, "grace period 0 kills at once");
        runner.Status.State!.Terminated!.ExitCode.Should().Be(137, "SIGKILL ended it");
    }

    [Fact]
    public async Task RequestStop_LongerGraceAfterAShortOne_DoesNotPostponeTheKill()
    {
        var (runner, run) = await StartAsync();

        runner.RequestStop(TimeSpan.FromMilliseconds(300));
        runner.RequestStop(TimeSpan.FromSeconds(60));

        (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(run, "the first, shorter deadline stands");
        runner.Status.State!.Terminated!.ExitCode.Should().Be(137);
    }

    private async Task<(ContainerRunner Runner, Task Run)> StartAsync()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "stubborn", Namespace = "default", Uid = "u1" }, Spec = new V1PodSpec { Containers = [] } };
        var container = new V1Container { Name = "main", Image = "test" };
        var options = new NodeAgentOptions { Config = new NodeAgentConfig(), LogDirectory = _folder.FullName };
        var runner = new ContainerRunner(pod, container, new ResolvedCommand(Stubborn, new Dictionary<string, string>()),
            new Dictionary<int, int>(), options, Path.Combine(_folder.FullName, "main.log"), () => { }, NullLogger.Instance);
        var run = Task.Run(runner.RunAsync);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (runner.Status.State?.Running is null)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the process starts");
            await Task.Delay(50);
        }
        // The shell installs its trap before its first sleep; give it that moment.
        await Task.Delay(300);
        return (runner, run);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
