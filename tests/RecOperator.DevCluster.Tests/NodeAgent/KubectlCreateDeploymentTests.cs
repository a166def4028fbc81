using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>A Deployment made by `kubectl create deployment` (a protobuf body) rolls out as real pod processes.</summary>
[Collection(NodeAgentCollection.Name)]
public sealed class KubectlCreateDeploymentTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task KubectlCreateDeployment_TwoReplicas_RollsOutTwoServingProcesses()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var kubeconfig = cluster.Server.KubeconfigPath!;

        var created = await Kubectl.RunAsync(kubeconfig, ["create", "deployment", "web", "-n", ns, $"--image={NodeAgentFixture.HttpImage}", "--replicas=2", "--port=8080"]);
        var rollout = await Kubectl.RunAsync(kubeconfig, ["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"], timeoutSeconds: 70);

        created.ExitCode.Should().Be(0, created.ToString());
        rollout.ExitCode.Should().Be(0, rollout.ToString());
        rollout.Stdout.Should().Contain("successfully rolled out");
        var pods = await PodsAsync(cluster.Client, ns, "app=web");
        pods.Should().HaveCount(2).And.OnlyContain(p => IsReady(p));
        foreach (var pod in pods)
        {
            // The port kubectl asked for reaches each pod's own process. Without a readiness probe a pod is ready once
            // its process runs, which can be a moment before the process listens, as on a real cluster.
            var pid = PidOf(pod).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WaitForAsync(async () => await ServesAsync(HostPortOf(pod)) == pid, $"pod {pod.Metadata!.Name} to answer on its port");
        }
    }

    private static async Task<string?> ServesAsync(int port)
    {
        try
        {
            return await GetAsync(port);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
