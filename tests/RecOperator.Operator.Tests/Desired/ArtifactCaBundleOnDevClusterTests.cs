using System.Globalization;
using System.Text.Json;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// The pod template the operator builds for a variant with a caBundle, run as a real process by DevCluster's node
/// agent: the ConfigMap key is at the path RECPOD_ARTIFACT_CA names, as the container sees it. The image is a small
/// stand-in (testassets/recpod-stand-in) that answers the template's probes and serves that file back.
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
        _client = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!));
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
        var template = Template(new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "root-ca.pem" } });
        var pods = _client.For<V1Pod>();

        await pods.CreateAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "search-rank-cpu", Labels = template.Metadata!.Labels }, Spec = template.Spec }, "search");

        var pod = await WaitForReadyAsync(pods, "search-rank-cpu");
        var ports = JsonSerializer.Deserialize<Dictionary<string, int>>(pod.Metadata!.Annotations![HostPorts.Annotation])!;
        var port = ports[PodPorts.Http.ToString(CultureInfo.InvariantCulture)];
        (await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/artifact-ca"))).Should().Be(Pem);
    }

    private static V1PodTemplateSpec Template(CaBundleSpec bundle)
    {
        var variant = new VariantSpec
        {
            Name = "cpu", Hardware = Hardware.Cpu, NodePools = [Pool],
            Artifact = new ArtifactSpec { Uri = "https://models.internal.example/search-rank/model.onnx", CaBundle = bundle },
        };
        var model = new RecModel
        {
            Metadata = new V1ObjectMeta { Name = "search-rank", Namespace = "search", Uid = "1d2e3f4a-3333-4444-8555-b66677778888" },
            Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 30 }, Variants = [variant] },
        };
        var pool = new NodePoolSpec { Hardware = Hardware.Cpu, NodeSelector = new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = Pool } };
        return DeploymentBuilder.Build(model, variant, Pool, pool, StandIn).Spec!.Template;
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
