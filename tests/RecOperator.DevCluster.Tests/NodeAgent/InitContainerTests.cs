using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// The kubelet's init containers on real processes: one after another, each to completion, before any app container;
/// a failing one holds the app containers back, as `kubectl get pods` shows (Init:1/2, Init:Error, Init:CrashLoopBackOff).
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class InitContainerTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task InitContainers_Succeed_RunInOrderBeforeTheAppContainer()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var folder = Directory.CreateTempSubdirectory("init-order-").FullName;
        var order = Path.Combine(folder, "order");
        var pod = ShellPod("ordered", "Always",
            [Shell("first", $"sleep 0.3; echo first >> {order}"), Shell("second", $"echo second >> {order}")],
            $"echo app >> {order}; exec sleep 300");
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(pod, ns);

        await WaitForAsync(async () => (await pods.GetAsync("ordered", ns)).Status?.Phase == "Running", "a running pod");
        await WaitForAsync(() => Task.FromResult(File.Exists(order) && File.ReadAllLines(order).Length == 3), "the app's line");
        File.ReadAllLines(order).Should().Equal("first", "second", "app");
        var status = (await pods.GetAsync("ordered", ns)).Status!;
        status.InitContainerStatuses!.Select(s => (s.Name, s.State?.Terminated?.Reason, s.State?.Terminated?.ExitCode))
            .Should().Equal(("first", "Completed", 0), ("second", "Completed", 0));
        status.Conditions!.Single(c => c.Type == "Initialized").Status.Should().Be("True");
        await pods.DeleteAsync("ordered", ns);
    }

    [Fact]
    public async Task InitContainer_FailsUnderRestartPolicyNever_AppNeverStartsAndKubectlShowsInitError()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var folder = Directory.CreateTempSubdirectory("init-fail-").FullName;
        var go = Path.Combine(folder, "go");
        var appRan = Path.Combine(folder, "app-ran");
        var pod = ShellPod("init-fails", "Never",
            [Shell("first", "true"), Shell("second", $"while [ ! -f {go} ]; do sleep 0.1; done; exit 3")],
            $"touch {appRan}; exec sleep 300");
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(pod, ns);

        await WaitForKubectlStatusAsync(ns, "Init:1/2");
        var initializing = (await pods.GetAsync("init-fails", ns)).Status!;
        initializing.Phase.Should().Be("Pending");
        initializing.ContainerStatuses![0].State!.Waiting!.Reason.Should().Be("PodInitializing");
        initializing.Conditions!.Single(c => c.Type == "Initialized").Message.Should().Be("containers with incomplete status: [second]");

        await File.WriteAllTextAsync(go, "");

        await WaitForKubectlStatusAsync(ns, "Init:Error");
        await WaitForAsync(async () => (await pods.GetAsync("init-fails", ns)).Status?.Phase == "Failed", "a failed pod");
        var failed = (await pods.GetAsync("init-fails", ns)).Status!;
        failed.InitContainerStatuses![1].State!.Terminated!.ExitCode.Should().Be(3);
        failed.ContainerStatuses![0].State!.Waiting!.Reason.Should().Be("PodInitializing");
        File.Exists(appRan).Should().BeFalse("no app container starts before every init container has succeeded");
        await pods.DeleteAsync("init-fails", ns);
    }

    [Fact]
    public async Task InitContainer_KeepsFailingUnderRestartPolicyAlways_RetriedWithBackoffAndKubectlShowsInitCrashLoopBackOff()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var appRan = Path.Combine(Directory.CreateTempSubdirectory("init-crash-").FullName, "app-ran");
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(ShellPod("init-crashes", "Always", [Shell("broken", "exit 1")], $"touch {appRan}; exec sleep 300"), ns);

        await WaitForKubectlStatusAsync(ns, "Init:CrashLoopBackOff");
        var status = (await pods.GetAsync("init-crashes", ns)).Status!;
        status.Phase.Should().Be("Pending");
        status.InitContainerStatuses![0].RestartCount.Should().BeGreaterThanOrEqualTo(1);
        File.Exists(appRan).Should().BeFalse();
        await pods.DeleteAsync("init-crashes", ns);
    }

    [Fact]
    public async Task SidecarInitContainer_RestartPolicyAlways_KeepsRunningBesideTheAppAndCountsInReady()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var order = Path.Combine(Directory.CreateTempSubdirectory("init-sidecar-").FullName, "order");
        var sidecar = Shell("proxy", $"echo proxy >> {order}; exec sleep 300") with { RestartPolicy = "Always" };
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(ShellPod("with-sidecar", "Always", [sidecar, Shell("setup", $"echo setup >> {order}")], $"echo app >> {order}; exec sleep 300"), ns);

        await WaitForKubectlStatusAsync(ns, "Running");
        var table = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "--no-headers"]);
        table.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Should().Be("2/2", "a started sidecar is one of the pod's containers");
        // The sidecar's own line may land after setup's: the next init container waits for its start, not for its work.
        var lines = File.ReadAllLines(order).ToList();
        lines.Should().BeEquivalentTo(["proxy", "setup", "app"]);
        lines.IndexOf("setup").Should().BeLessThan(lines.IndexOf("app"));
        var proxy = (await pods.GetAsync("with-sidecar", ns)).Status!.InitContainerStatuses![0];
        proxy.State!.Running.Should().NotBeNull("a sidecar keeps running beside the app containers");
        proxy.Started.Should().BeTrue();
        await pods.DeleteAsync("with-sidecar", ns);
    }

    private async Task WaitForKubectlStatusAsync(string ns, string expected)
    {
        var last = "";
        try
        {
            await WaitForAsync(async () =>
            {
                var table = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "--no-headers"]);
                last = table.ToString();
                return table.ExitCode == 0 && table.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, var shown, ..] && shown == expected;
            }, $"kubectl to show {expected}");
        }
        catch (TimeoutException e)
        {
            var pods = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["get", "pods", "-n", ns, "-o", "jsonpath={.items[*].status}"]);
            throw new TimeoutException($"{e.Message}; kubectl last showed: {last}; status: {pods.Stdout}", e);
        }
    }

    private static V1Container Shell(string name, string script) =>
        new() { Name = name, Image = NodeAgentFixture.HttpImage, Command = ["sh", "-c", script] };

    private static V1Pod ShellPod(string name, string restartPolicy, List<V1Container> inits, string appScript)
    {
        var spec = HttpPodSpec(grace: 1);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = spec with { RestartPolicy = restartPolicy, InitContainers = inits, Containers = [Shell("app", appScript)] },
        };
    }
}
