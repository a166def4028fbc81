using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// configMap and secret volumes on real pod processes, shaped as the operator writes an artifact's caBundle: the
/// ConfigMap or Secret key as one file of a read-only volume and an env variable naming it; a missing object or key
/// holds the pod back with a message naming it, and the pod starts once the object exists.
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class ConfigMapVolumeProcessTests(NodeAgentFixture cluster)
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

    [Fact]
    public async Task Pod_ConfigMapCreatedAfterThePod_WaitsNamingItThenReadsTheKeyAtThePathItsEnvNames()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        await pods.CreateAsync(CaPod("ca-late", key: "root-ca.pem"), ns);

        await WaitForAsync(async () => Waiting(await pods.GetAsync("ca-late", ns)) is { Reason: "CreateContainerConfigError" }, "the pod held back");
        var waiting = Waiting(await pods.GetAsync("ca-late", ns))!;
        waiting.Message.Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" not found");
        (await pods.GetAsync("ca-late", ns)).Status!.Phase.Should().Be("Pending");

        await cluster.Client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "store-ca" },
            Data = new Dictionary<string, string> { ["root-ca.pem"] = Pem, ["unrelated"] = "x" },
        }, ns);

        await WaitForAsync(async () => IsReady(await pods.GetAsync("ca-late", ns)), "the pod ready once the ConfigMap exists");
        var pod = await pods.GetAsync("ca-late", ns);
        (await GetAsync(HostPortOf(pod), "/env-file/RECPOD_ARTIFACT_CA")).Should().Be(Pem);
        await pods.DeleteAsync("ca-late", ns);
    }

    [Fact]
    public async Task Pod_ConfigMapWithoutTheKey_WaitsNamingTheKey()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "store-ca" },
            Data = new Dictionary<string, string> { ["ca.crt"] = Pem },
        }, ns);
        var pods = cluster.Client.For<V1Pod>();

        await pods.CreateAsync(CaPod("ca-key", key: "root-ca.pem"), ns);

        await WaitForAsync(async () => Waiting(await pods.GetAsync("ca-key", ns)) is { Reason: "CreateContainerConfigError" }, "the pod held back");
        Waiting(await pods.GetAsync("ca-key", ns))!.Message
            .Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" references non-existent config key: root-ca.pem");
        await pods.DeleteAsync("ca-key", ns);
        await WaitForAsync(async () => await pods.TryGetAsync("ca-key", ns) is null, "the held-back pod deleted", 10);
    }

    [Fact]
    public async Task Pod_SecretCreatedAfterThePodFromStringData_WaitsNamingItThenReadsTheDecodedKey()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pods = cluster.Client.For<V1Pod>();
        var volume = new V1Volume
        {
            Name = "artifact-ca",
            Secret = new V1SecretVolumeSource { SecretName = "store-tls", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] },
        };
        await pods.CreateAsync(CaPod("ca-secret", volume), ns);

        await WaitForAsync(async () => Waiting(await pods.GetAsync("ca-secret", ns)) is { Reason: "CreateContainerConfigError" }, "the pod held back");
        Waiting(await pods.GetAsync("ca-secret", ns))!.Message.Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : secret \"store-tls\" not found");

        // Written with stringData, as manifests often are: the API server folds it into data, which the volume reads.
        await cluster.Client.For<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "store-tls" },
            StringData = new Dictionary<string, string> { ["ca.crt"] = Pem },
        }, ns);

        await WaitForAsync(async () => IsReady(await pods.GetAsync("ca-secret", ns)), "the pod ready once the Secret exists");
        var pod = await pods.GetAsync("ca-secret", ns);
        (await GetAsync(HostPortOf(pod), "/env-file/RECPOD_ARTIFACT_CA")).Should().Be(Pem);
        await pods.DeleteAsync("ca-secret", ns);
    }

    private static V1ContainerStateWaiting? Waiting(V1Pod pod) => pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;

    // The operator's shape for a caBundle (see src/Operator/Desired/ArtifactCaBundle.cs) on the test's HTTP image.
    private static V1Pod CaPod(string name, string key) => CaPod(name, new V1Volume
    {
        Name = "artifact-ca",
        ConfigMap = new V1ConfigMapVolumeSource { Name = "store-ca", Items = [new V1KeyToPath { Key = key, Path = "ca.crt" }] },
    });

    private static V1Pod CaPod(string name, V1Volume volume)
    {
        var pod = HttpPod(name, "work", new Dictionary<string, string> { ["RECPOD_ARTIFACT_CA"] = "/etc/recpod/artifact-ca/ca.crt" });
        var container = pod.Spec!.Containers[0] with
        {
            VolumeMounts = [new V1VolumeMount { Name = "artifact-ca", MountPath = "/etc/recpod/artifact-ca", ReadOnly = true }],
        };
        return pod with { Spec = pod.Spec with { Containers = [container], Volumes = [volume] } };
    }
}
