using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Deployments become real processes: scaling starts and stops exactly the right ones; crashes restart; rollouts complete for kubectl.</summary>
[Collection(NodeAgentCollection.Name)]
public sealed class DeploymentProcessTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task Deployment_ScaledZeroToThreeToOne_RunsExactlyThoseProcesses()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var deployments = cluster.Client.For<V1Deployment>();
        await deployments.CreateAsync(HttpDeployment("web", 0), ns);
        await WaitForAsync(async () => (await deployments.GetAsync("web", ns)).Status?.ObservedGeneration == 1, "status of the empty deployment");
        (await PodsAsync(cluster.Client, ns)).Should().BeEmpty();

        await deployments.UpdateScaleAsync("web", new V1Scale { Metadata = new V1ObjectMeta { Name = "web", Namespace = ns }, Spec = new V1ScaleSpec { Replicas = 3 } }, ns);
        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)) is { Count: 3 } pods && pods.All(IsReady), "3 ready pods");
        var three = await PodsAsync(cluster.Client, ns);
        var pids = three.Select(PidOf).ToList();
        pids.Should().OnlyHaveUniqueItems().And.OnlyContain(pid => IsAlive(pid));
        foreach (var pod in three)
        {
            // Each pod's published host port is served by that pod's own process.
            (await GetAsync(HostPortOf(pod))).Should().Be(PidOf(pod).ToString(System.Globalization.CultureInfo.InvariantCulture));
            pod.Metadata!.Labels.Should().ContainKey(PodTemplateHash.Label);
            pod.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "ReplicaSet" && o.Name == $"web-{pod.Metadata.Labels![PodTemplateHash.Label]}" && o.Controller == true);
            pod.Status!.PodIP.Should().Be("127.0.0.1");
        }
        three.Select(p => p.Spec!.NodeName).Distinct().Should().HaveCount(2, "replicas spread over both work nodes");

        await deployments.UpdateScaleAsync("web", new V1Scale { Metadata = new V1ObjectMeta { Name = "web", Namespace = ns }, Spec = new V1ScaleSpec { Replicas = 1 } }, ns);
        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)) is { Count: 1 } pods && pods.All(IsReady), "one pod left");
        var survivor = PidOf((await PodsAsync(cluster.Client, ns)).Single());
        pids.Should().Contain(survivor);
        await WaitForAsync(() => Task.FromResult(pids.Count(IsAlive) == 1), "the two scaled-down processes to exit", 10);
        IsAlive(survivor).Should().BeTrue();
        var status = (await deployments.GetAsync("web", ns)).Status!;
        (status.Replicas, status.ReadyReplicas, status.AvailableReplicas, status.UpdatedReplicas).Should().Be((1, 1, 1, 1));
        File.ReadAllText(PodLogs.PathOf(cluster.LogDirectory, ns, (await PodsAsync(cluster.Client, ns)).Single().Metadata!.Name!, "web"))
            .Should().Contain($"listening {survivor}");
    }

    [Fact]
    public async Task PodProcess_KilledWithSigkill_RestartsWithRestartCountOneAndReadyAgain()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1Deployment>().CreateAsync(HttpDeployment("crash", 1), ns);
        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)) is [{ } p] && IsReady(p), "a ready pod");
        var before = (await PodsAsync(cluster.Client, ns)).Single();
        var firstPid = PidOf(before);

        System.Diagnostics.Process.GetProcessById(firstPid).Kill();

        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)) is [{ } p] && p.Status!.ContainerStatuses![0].RestartCount == 1 && IsReady(p),
            "restartCount 1 and Ready again");
        var after = (await PodsAsync(cluster.Client, ns)).Single();
        after.Metadata!.Uid.Should().Be(before.Metadata!.Uid, "the container restarts in place; the pod is not replaced");
        var container = after.Status!.ContainerStatuses![0];
        container.LastState!.Terminated!.ExitCode.Should().Be(137, "128 + SIGKILL");
        var secondPid = PidOf(after);
        secondPid.Should().NotBe(firstPid);
        (await GetAsync(HostPortOf(after))).Should().Be(secondPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task RolloutStatus_TemplateChanged_KubectlWaitsForTheRollingUpdateAndSucceeds()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var deployments = cluster.Client.For<V1Deployment>();
        await deployments.CreateAsync(HttpDeployment("roll", 2, env: new Dictionary<string, string> { ["VERSION"] = "1" }), ns);
        var first = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["rollout", "status", "deployment/roll", "-n", ns, "--timeout=60s"], timeoutSeconds: 70);
        first.ExitCode.Should().Be(0, first.ToString());
        var oldPods = (await PodsAsync(cluster.Client, ns)).Select(p => p.Metadata!.Name).ToList();

        var current = await deployments.GetAsync("roll", ns);
        await deployments.UpdateAsync(current with { Spec = current.Spec! with { Template = HttpDeployment("roll", 2, env: new Dictionary<string, string> { ["VERSION"] = "2" }).Spec!.Template } });
        var rollout = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["rollout", "status", "deployment/roll", "-n", ns, "--timeout=60s"], timeoutSeconds: 70);

        rollout.ExitCode.Should().Be(0, rollout.ToString());
        rollout.Stdout.Should().Contain("successfully rolled out");
        var pods = await PodsAsync(cluster.Client, ns);
        pods.Where(PodView.IsActive).Should().HaveCount(2).And.OnlyContain(p => !oldPods.Contains(p.Metadata!.Name) && IsReady(p));
        var status = (await deployments.GetAsync("roll", ns)).Status!;
        status.Conditions.Should().Contain(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable")
            .And.Contain(c => c.Type == "Available" && c.Status == "True");
    }
}
