using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.DevCluster.Hosting;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// An in-process DevCluster with the project's CRDs, the sample NodePools and two Ready nodes per pool, plus an
/// operator-side client whose every request is recorded, and a separate client for the test's own reads and writes.
/// </summary>
public sealed class OperatorCluster : IAsyncLifetime
{
    private DevClusterServer? _server;

    public DevClusterServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The test's own client (a "user"); its requests are not recorded.</summary>
    public KubeApiClient User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { Secure = false, BookmarkInterval = TimeSpan.FromMilliseconds(500) }, CancellationToken.None);
        User = NewClient(new SocketsHttpHandler());
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("manifests", "crds"), "*.yaml"))
        {
            await ApplyAsync(YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single().AsObject());
        }

        foreach (var pool in YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "samples", "nodepools.yaml"))))
        {
            await User.Unstructured(NodePool.Descriptor).CreateAsync(pool!.AsObject());
            var name = (string)pool["metadata"]!["name"]!;
            var selector = pool["spec"]!["nodeSelector"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
            for (var i = 0; i < 2; i++)
            {
                await CreateNodeAsync($"{name}-{i}", selector, gpus: name == "gpu" ? 2 : 0);
            }
        }
    }

    public KubeApiClient NewClient(HttpMessageHandler handler) =>
        new(KubeClientConfig.ForServer(Server.BaseAddress), new KubeApiClientOptions { Handler = handler, AdditionalTypes = CrdsJsonContext.Default });

    public RecModelReconciler NewReconciler(KubeApiClient client, IFleetPlanSource? plans = null) =>
        new(client, plans ?? new FleetPlanBook(), OperatorImages.Default, OperatorEvents.Recorder(client, "test"), NullLogger.Instance);

    /// <summary>A full operator (informers, both controllers, health on a free port) on the given client.</summary>
    /// <param name="resync">
    /// The informers' resync (default 2 s, so periodic passes come quickly), and when given, the NodePools' and unsettled
    /// models' rechecks too: set long, only events wake the reconcilers.
    /// </param>
    public OperatorHost NewHost(KubeApiClient client, string identity, bool leaderElect, FleetPlanBook? plans = null, bool autoscaler = false, TimeSpan? resync = null) =>
        RecOperatorApp.Build(client, new RecOperatorOptions
        {
            Identity = identity,
            ResyncPeriod = resync ?? TimeSpan.FromSeconds(2),
            NodePoolRecheck = resync ?? NodePoolReconciler.Recheck,
            UnsettledModelRecheck = resync ?? RecModelReconciler.UnsettledRecheck,
            Host = new OperatorHostOptions
            {
                HealthEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
                LeaderElection = leaderElect
                    ? new Kube.Leadership.LeaderElectionOptions
                    {
                        LeaseName = "rec-operator", LeaseNamespace = "default", Identity = identity,
                        LeaseDuration = TimeSpan.FromSeconds(3), RenewDeadline = TimeSpan.FromSeconds(2), RetryPeriod = TimeSpan.FromMilliseconds(250),
                    }
                    : null,
            },
        }, NullLoggerFactory.Instance, new OperatorMetrics(), plans,
            autoscaler ? c => AutoscalerRegistration.Add(c, new AutoscalerOptions { SyncPeriod = TimeSpan.FromSeconds(1), ReportingInstance = identity }) : null);

    /// <summary>The sample RecModel, created by the user; returns it as stored (with its uid).</summary>
    public async Task<RecModel> CreateSampleAsync(string name = "ranking-ctr")
    {
        var document = YamlDocuments.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"))).Single().AsObject();
        document["metadata"]!["name"] = name;
        await User.Unstructured(RecModel.Descriptor).CreateAsync(document, "default");
        return await User.For<RecModel>().GetAsync(name, "default");
    }

    /// <summary>
    /// Takes the rules on the whole object (the name length) out of the RecModel CRD, as an API server with an older
    /// CRD or without CEL would not check them: so a test can store a RecModel that only the operator refuses.
    /// </summary>
    public async Task WithoutRecModelObjectRulesAsync()
    {
        var crds = User.Unstructured(new ResourceDescriptor("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", Namespaced: false));
        var crd = await crds.GetAsync("recmodels.serving.recoperator.io");
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            version!["schema"]!["openAPIV3Schema"]!.AsObject().Remove("x-kubernetes-validations");
        }

        await crds.UpdateAsync(crd);
    }

    /// <summary>
    /// A pod of the sample model held back as a real kubelet holds a pod whose volume it cannot mount: Pending, its
    /// container waiting in ContainerCreating with no message, and the reason in a core/v1 FailedMount Event on it.
    /// </summary>
    public async Task CreatePodHeldByFailedMountAsync(string podName, string model, string variant, string pool, string message)
    {
        var pods = User.For<V1Pod>();
        var pod = await pods.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = podName, Namespace = "default", Labels = ChildLabels.For(model, variant, pool) },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "recpod", Image = "ghcr.io/recoperator/recpod:0.1.0" }] },
        }, "default");
        await pods.PatchStatusAsync(podName, KubePatch.Merge(JsonNode.Parse("""
            {"status":{"phase":"Pending","containerStatuses":[{"name":"recpod","image":"i","imageID":"","ready":false,"restartCount":0,
              "state":{"waiting":{"reason":"ContainerCreating"}}}]}}
            """)!), "default");
        await User.For<CoreV1Event>().CreateAsync(new CoreV1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{podName}.failedmount" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Namespace = "default", Name = podName, Uid = pod.Metadata!.Uid, ApiVersion = "v1" },
            Reason = "FailedMount", Type = "Warning", Message = message, Count = 1,
            Source = new V1EventSource { Component = "kubelet", Host = $"{pool}-0" },
        }, "default");
    }

    public async Task ApplyAsync(JsonObject obj)
    {
        var kind = (string)obj["kind"]!;
        var descriptor = kind == "CustomResourceDefinition" ? V1CustomResourceDefinition.Descriptor : throw new ArgumentException(kind);
        await User.Unstructured(descriptor).PatchAsync((string)obj["metadata"]!["name"]!, KubePatch.Apply(obj, "test", force: true));
    }

    public async Task<List<T>> OwnedAsync<T>(string model)
        where T : class, IKubernetesResource
    {
        var list = await User.For<T>().ListAsync("default", new ListOptions { LabelSelector = $"{ChildLabels.Model}={model}" });
        return [.. list.Items];
    }

    /// <summary>Polls until the condition holds; fails with the message after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out after {seconds}s waiting until {because}");
            }

            await Task.Delay(100);
        }
    }

    private async Task CreateNodeAsync(string name, Dictionary<string, string> labels, int gpus)
    {
        var allocatable = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
        if (gpus > 0)
        {
            allocatable["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var labelNode = new JsonObject();
        foreach (var (key, value) in labels)
        {
            labelNode[key] = value;
        }

        var nodes = User.Unstructured(V1Node.Descriptor);
        await nodes.CreateAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labelNode } });
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["allocatable"] = allocatable,
                ["capacity"] = allocatable.DeepClone(),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" }),
            },
        };
        await nodes.PatchStatusAsync(name, KubePatch.Merge(status));
    }

    public async Task DisposeAsync()
    {
        User?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
