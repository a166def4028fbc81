using RecOperator.Kube;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Env valueFrom on real processes: ConfigMap and Secret keys and the container's resources reach its environment; a missing key holds it back.</summary>
[Collection(NodeAgentCollection.Name)]
public sealed class EnvValueFromProcessTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task ValueFrom_ConfigMapSecretAndResourceRefs_ReachTheProcessEnvironment()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var envFile = Path.Combine(Directory.CreateTempSubdirectory("value-from-").FullName, "env");
        await cluster.Client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "model" }, Data = new Dictionary<string, string> { ["name"] = "ranker-v2" } }, ns);
        await cluster.Client.For<V1Secret>().CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "store" }, StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" } }, ns);
        var pods = cluster.Client.For<V1Pod>();
        var pod = EnvPod(envFile,
            Var("MODEL_NAME", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "model", Key = "name" } }),
            Var("STORE_TOKEN", new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "store", Key = "token" } }),
            Var("OPTIONAL_MISSING", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "model", Key = "absent", Optional = true } }),
            Var("CPU_MILLIS", new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu", Divisor = ResourceQuantity.Parse("1m") } }),
            Var("MEMORY_MI", new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "requests.memory", Divisor = ResourceQuantity.Parse("1Mi") } }),
            // No limit set: the node's allocatable memory (the work pool's 8Gi), as the kubelet defaults it.
            Var("NODE_MEMORY_GI", new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = ResourceQuantity.Parse("1Gi") } }));
        await pods.CreateAsync(pod, ns);

        await WaitForAsync(() => Task.FromResult(File.Exists(envFile) && File.ReadAllText(envFile).Contains("END=1", StringComparison.Ordinal)), "the process's environment");
        var env = File.ReadAllLines(envFile).Where(l => l.Contains('=', StringComparison.Ordinal)).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        env["MODEL_NAME"].Should().Be("ranker-v2");
        env["STORE_TOKEN"].Should().Be("s3cr3t");
        env.Should().NotContainKey("OPTIONAL_MISSING");
        env["CPU_MILLIS"].Should().Be("1500");
        env["MEMORY_MI"].Should().Be("256");
        env["NODE_MEMORY_GI"].Should().Be("8");
        await pods.DeleteAsync("env-pod", ns);
    }

    [Fact]
    public async Task ValueFrom_MissingConfigMapKey_ContainerWaitsWithTheKubeletsMessageUntilItExists()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var envFile = Path.Combine(Directory.CreateTempSubdirectory("value-from-").FullName, "env");
        var configMaps = cluster.Client.For<V1ConfigMap>();
        await configMaps.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "model" }, Data = new Dictionary<string, string> { ["other"] = "x" } }, ns);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(EnvPod(envFile, Var("MODEL_NAME", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "model", Key = "name" } })), ns);

        await WaitForAsync(async () => (await pods.GetAsync("env-pod", ns)).Status?.ContainerStatuses?[0].State?.Waiting is { Reason: "CreateContainerConfigError" }, "CreateContainerConfigError");
        (await pods.GetAsync("env-pod", ns)).Status!.ContainerStatuses![0].State!.Waiting!.Message.Should().Be($"couldn't find key name in ConfigMap {ns}/model");

        await configMaps.UpdateAsync((await configMaps.GetAsync("model", ns)) with { Data = new Dictionary<string, string> { ["name"] = "ranker-v3" } });

        await WaitForAsync(() => Task.FromResult(File.Exists(envFile) && File.ReadAllText(envFile).Contains("MODEL_NAME=ranker-v3", StringComparison.Ordinal)), "the pod started with the key");
        await pods.DeleteAsync("env-pod", ns);
    }

    private static V1EnvVar Var(string name, V1EnvVarSource source) => new() { Name = name, ValueFrom = source };

    private static V1Pod EnvPod(string envFile, params V1EnvVar[] env) => new()
    {
        Metadata = new V1ObjectMeta { Name = "env-pod" },
        Spec = HttpPodSpec(grace: 1) with
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app", Image = NodeAgentFixture.HttpImage, Env = [.. env, new V1EnvVar { Name = "END", Value = "1" }],
                    Command = ["sh", "-c", $"env > {envFile}.tmp && mv {envFile}.tmp {envFile}; exec sleep 300"],
                    Resources = new V1ResourceRequirements
                    {
                        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse("1500m") },
                        Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = ResourceQuantity.Parse("256Mi") },
                    },
                },
            ],
        },
    };
}
