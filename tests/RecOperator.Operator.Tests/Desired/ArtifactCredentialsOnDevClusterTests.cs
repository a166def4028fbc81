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
/// The pod template of a variant with a credentialsSecret, run as a real process by DevCluster's node agent: the
/// Secret's keys are the container's environment (the stand-in answers them back). And the whole loop for a Secret
/// that does not exist: the reconciler's Deployment, the node agent holding its pods back, the RecModel saying so.
/// </summary>
public sealed class ArtifactCredentialsOnDevClusterTests : IAsyncLifetime
{
    private const string Pool = "work";
    private static readonly OperatorImages StandIn = new("test.local/recpod-stand-in:1", "test.local/recpod-stand-in:1");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("recop-artifact-credentials-").FullName;
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
        await _client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "feed" } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _agent.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task PodTemplate_VariantWithCredentialsSecret_ContainerHasTheSecretsKeysAsEnvironment()
    {
        await _client.For<V1Secret>().CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "model-store-s3" },
            Data = new Dictionary<string, byte[]>
            {
                ["AWS_ACCESS_KEY_ID"] = Encoding.UTF8.GetBytes("AKIDEXAMPLE"),
                ["AWS_SECRET_ACCESS_KEY"] = Encoding.UTF8.GetBytes("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                ["AWS_ENDPOINT_URL_S3"] = Encoding.UTF8.GetBytes("http://minio.storage:9000"),
            },
        }, "feed");
        var template = Template();
        var pods = _client.For<V1Pod>();
        await pods.CreateAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "feed-rank-cpu", Labels = template.Metadata!.Labels }, Spec = template.Spec }, "feed");

        var pod = await WaitForReadyAsync(pods, "feed-rank-cpu");

        var ports = JsonSerializer.Deserialize<Dictionary<string, int>>(pod.Metadata!.Annotations![HostPorts.Annotation])!;
        var port = ports[PodPorts.Http.ToString(CultureInfo.InvariantCulture)];
        async Task<string> Variable(string name) => await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/env/{name}"));
        (await Variable("AWS_ACCESS_KEY_ID")).Should().Be("AKIDEXAMPLE");
        (await Variable("AWS_SECRET_ACCESS_KEY")).Should().Be("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        (await Variable("AWS_ENDPOINT_URL_S3")).Should().Be("http://minio.storage:9000");
        (await Variable("RECPOD_ARTIFACT")).Should().Be("s3://models/feed-rank/int8/model.onnx");
    }

    [Fact]
    public async Task Reconcile_CredentialsSecretMissing_RecModelDegradedArtifactCredentialsUnavailableWithAWarningEvent()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "crds"), "*.yaml"))
        {
            var crd = YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single().AsObject();
            await _client.Unstructured(V1CustomResourceDefinition.Descriptor).PatchAsync((string)crd["metadata"]!["name"]!, KubePatch.Apply(crd, "test", force: true));
        }
        await _client.For<NodePool>().CreateAsync(new NodePool { Metadata = new V1ObjectMeta { Name = Pool }, Spec = PoolSpec });
        await _client.For<RecModel>().CreateAsync(Model(Variant()) with { Metadata = new V1ObjectMeta { Name = "feed-rank" } }, "feed");
        var reconciler = new RecModelReconciler(_client, new FleetPlanBook(), StandIn, new EventRecorder(_client, "test"), NullLogger.Instance);
        var key = new ObjectKey("feed", "feed-rank");

        // The first pass creates the Deployment; the node agent's pods then wait for the Secret, and a later pass reads why.
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        var degraded = await WaitForAsync(async () =>
        {
            await reconciler.ReconcileAsync(key, CancellationToken.None);
            var status = (await _client.For<RecModel>().GetAsync("feed-rank", "feed")).Status;
            return status?.Conditions.FirstOrDefault(c => c is { Type: Conditions.Degraded, Status: Conditions.True });
        }, "the RecModel Degraded");

        degraded.Reason.Should().Be(Conditions.ArtifactCredentialsUnavailable);
        degraded.Message.Should().Be("variant cpu cannot read its artifact credentialsSecret: secret \"model-store-s3\" not found");
        (await _client.For<EventsV1Event>().ListAsync("feed")).Items
            .Should().Contain(e => e.Type == "Warning" && e.Reason == Conditions.ArtifactCredentialsUnavailable && e.Note == degraded.Message);
    }

    private static NodePoolSpec PoolSpec => new() { Hardware = Hardware.Cpu, NodeSelector = new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = Pool } };

    private static VariantSpec Variant() => new()
    {
        Name = "cpu", Hardware = Hardware.Cpu, NodePools = [Pool],
        Artifact = new ArtifactSpec { Uri = "s3://models/feed-rank/int8/model.onnx", CredentialsSecret = "model-store-s3" },
    };

    private static RecModel Model(VariantSpec variant) => new()
    {
        Metadata = new V1ObjectMeta { Name = "feed-rank", Namespace = "feed", Uid = "7c1d2e3f-5555-4666-8777-a88899990000" },
        Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 20 }, Variants = [variant] },
    };

    private static V1PodTemplateSpec Template()
    {
        var variant = Variant();
        return DeploymentBuilder.Build(Model(variant), variant, Pool, PoolSpec, StandIn).Spec!.Template;
    }

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

    private static async Task<V1Pod> WaitForReadyAsync(ResourceClient<V1Pod> pods, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var pod = await pods.GetAsync(name, "feed");
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
