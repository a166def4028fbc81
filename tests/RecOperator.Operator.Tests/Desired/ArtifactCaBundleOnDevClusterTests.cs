using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// The pod template the operator builds for a variant with a caBundle, run as a real process by DevCluster's node
/// agent: the ConfigMap or Secret key is at the path RECPOD_ARTIFACT_CA names, as the container sees it. The image is
/// a small stand-in (testassets/recpod-stand-in) that answers the template's probes and serves that file back. And
/// the whole loop: the reconciler's Deployment, the node agent holding its pods back for a missing ConfigMap, and the
/// RecModel saying so.
/// </summary>
public sealed class ArtifactCaBundleOnDevClusterTests : IAsyncLifetime
{
    private const string Pool = "work";
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBprivatestoreCA\n-----END CERTIFICATE-----\n";
    private static readonly OperatorImages StandIn = new("test.local/recpod-stand-in:1", "test.local/recpod-stand-in:1");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("recop-artifact-ca-").FullName;
    private DevClusterServer _server = null!;
    private NodeAgentHost _agent = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _dataDirectory, Secure = false }, CancellationToken.None);
        var config = $$"""
            pools:
            - name: {{Pool}}
              allocatable: {cpu: "4", memory: 8Gi}
            images:
            - repository: test.local/recpod-stand-in
              command: [node, "{{RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "recpod-stand-in", "server.js")}}"]
              portEnv: {"8080": RECPOD_HTTP_PORT, "8081": RECPOD_GRPC_PORT}
            """;
        var options = new NodeAgentOptions
        {
            Config = NodeAgentConfigParser.Parse(config, RepositoryRoot.Find()),
            LogDirectory = Path.Combine(_dataDirectory, "pod-logs"),
            HeartbeatInterval = TimeSpan.FromSeconds(2),
            ResyncInterval = TimeSpan.FromSeconds(1),
        };
        _agent = await NodeAgentHost.StartAsync(_server.KubeconfigPath!, options, null, CancellationToken.None);
        _client = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default });
        await _client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "search" } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _agent.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task PodTemplate_VariantWithCaBundle_ContainerReadsTheConfigMapKeyAtThePathItsEnvNames()
    {
        await _client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "model-store-ca" },
            Data = new Dictionary<string, string> { ["root-ca.pem"] = Pem },
        }, "search");

        var served = await ServedCaFileAsync(new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "root-ca.pem" } });

        served.Should().Be(Pem);
    }

    [Fact]
    public async Task PodTemplate_VariantWithSecretCaBundle_ContainerReadsTheSecretKeyAtThePathItsEnvNames()
    {
        await _client.For<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "model-store-tls" },
            Data = new Dictionary<string, byte[]> { ["ca.crt"] = Encoding.UTF8.GetBytes(Pem) },
        }, "search");

        var served = await ServedCaFileAsync(new CaBundleSpec { SecretKeyRef = new SecretKeyReference { Name = "model-store-tls", Key = "ca.crt" } });

        served.Should().Be(Pem);
    }

    // Runs a pod of the variant's template and asks the stand-in for the file RECPOD_ARTIFACT_CA names.
    private async Task<string> ServedCaFileAsync(CaBundleSpec bundle)
    {
        var template = Template(bundle);
        var pods = _client.For<V1Pod>();
        await pods.CreateAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "search-rank-cpu", Labels = template.Metadata!.Labels }, Spec = template.Spec }, "search");
        var pod = await WaitForReadyAsync(pods, "search-rank-cpu");
        var ports = JsonSerializer.Deserialize<Dictionary<string, int>>(pod.Metadata!.Annotations![HostPorts.Annotation])!;
        var port = ports[PodPorts.Http.ToString(CultureInfo.InvariantCulture)];
        return await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/artifact-ca"));
    }

    [Fact]
    public async Task Reconcile_CaBundleNamesAMissingConfigMap_RecModelDegradedArtifactCaUnavailableWithAWarningEvent()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "crds"), "*.yaml"))
        {
            var crd = YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single().AsObject();
            await _client.Unstructured(V1CustomResourceDefinition.Descriptor).PatchAsync((string)crd["metadata"]!["name"]!, KubePatch.Apply(crd, "test", force: true));
        }
        await _client.For<NodePool>().CreateAsync(new NodePool { Metadata = new V1ObjectMeta { Name = Pool }, Spec = PoolSpec });
        var variant = Variant(new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "root-ca.pem" } });
        await _client.For<RecModel>().CreateAsync(Model(variant) with { Metadata = new V1ObjectMeta { Name = "search-rank" } }, "search");
        var reconciler = new RecModelReconciler(_client, new FleetPlanBook(), StandIn, new EventRecorder(_client, "test"), NullLogger.Instance);
        var key = new ObjectKey("search", "search-rank");

        // The first pass creates the Deployment; the node agent's pods then wait for the ConfigMap, and a later pass reads why.
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        var degraded = await WaitForAsync(async () =>
        {
            await reconciler.ReconcileAsync(key, CancellationToken.None);
            var status = (await _client.For<RecModel>().GetAsync("search-rank", "search")).Status;
            return status?.Conditions.FirstOrDefault(c => c is { Type: Conditions.Degraded, Status: Conditions.True });
        }, "the RecModel Degraded");

        degraded.Reason.Should().Be(Conditions.ArtifactCaUnavailable);
        degraded.Message.Should().Be("variant cpu cannot mount its artifact caBundle: configmap \"model-store-ca\" not found");
        (await _client.For<EventsV1Event>().ListAsync("search")).Items
            .Should().Contain(e => e.Type == "Warning" && e.Reason == Conditions.ArtifactCaUnavailable && e.Note == degraded.Message);
    }

    private static NodePoolSpec PoolSpec => new() { Hardware = Hardware.Cpu, NodeSelector = new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = Pool } };

    private static VariantSpec Variant(CaBundleSpec bundle) => new()
    {
        Name = "cpu", Hardware = Hardware.Cpu, NodePools = [Pool],
        Artifact = new ArtifactSpec { Uri = "https://models.internal.example/search-rank/model.onnx", CaBundle = bundle },
    };

    private static RecModel Model(VariantSpec variant) => new()
    {
        Metadata = new V1ObjectMeta { Name = "search-rank", Namespace = "search", Uid = "1d2e3f4a-3333-4444-8555-b66677778888" },
        Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 30 }, Variants = [variant] },
    };

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> attempt, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await attempt() is { } result)
            {
                return result;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not after 30 s");
            }
            await Task.Delay(200);
        }
    }

    private static V1PodTemplateSpec Template(CaBundleSpec bundle)
    {
        var variant = Variant(bundle);
        return DeploymentBuilder.Build(Model(variant), variant, Pool, PoolSpec, StandIn).Spec!.Template;
    }

    private static async Task<V1Pod> WaitForReadyAsync(ResourceClient<V1Pod> pods, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var pod = await pods.GetAsync(name, "search");
            if (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                return pod;
            }
            if (DateTime.UtcNow > deadline)
            {
                var waiting = pod.Status?.ContainerStatuses?.Select(c => $"{c.State?.Waiting?.Reason} {c.State?.Waiting?.Message}");
                throw new TimeoutException($"pod {name} not ready after 30 s: {string.Join("; ", waiting ?? [])}");
            }
            await Task.Delay(100);
        }
    }
}
