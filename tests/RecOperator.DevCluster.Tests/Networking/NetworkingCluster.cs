using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Networking;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Yaml;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Tests.Shared;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>
/// An in-process control plane with the networking host beside it, talking to it through the project's
/// Kubernetes client over HTTP, as `recop devcluster up` runs them. With no node agent on this branch, tests
/// play the kubelet: they create pods and write their status (podIP, Ready) through the status subresource.
/// </summary>
public class NetworkingCluster : IAsyncLifetime
{
    private DevClusterServer? _server;

    public KubeApiClient Client { get; private set; } = null!;

    public NetworkingHost Host { get; private set; } = null!;

    public Uri ApiServer => _server!.BaseAddress;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { Secure = false, BookmarkInterval = TimeSpan.FromMilliseconds(500) }, CancellationToken.None);
        Client = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress));
        Host = NetworkingHost.Start(Client);
    }

    /// <summary>Stops the networking host and starts a fresh one on the same API server (a router restart).</summary>
    public async Task RestartNetworkingAsync()
    {
        await Host.DisposeAsync();
        Host = NetworkingHost.Start(Client);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Client.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = "net-" + Guid.NewGuid().ToString("N")[..10];
        await Client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public Task<V1Service> CreateServiceAsync(string ns, string name, IDictionary<string, string>? selector, params V1ServicePort[] ports) =>
        Client.For<V1Service>().CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec { Selector = selector, Ports = ports },
        }, ns);

    /// <summary>A pod whose container declares <paramref name="containerPort"/> (named "http"), mapped to the backend's real port.</summary>
    public async Task<V1Pod> CreatePodAsync(string ns, string name, string app, int containerPort, int hostPort, bool ready, string portName = "http")
    {
        var pod = await Client.For<V1Pod>().CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["app"] = app },
                Annotations = new Dictionary<string, string> { [NetworkingNames.HostPortsAnnotation] = $"{{\"{containerPort}\":{hostPort}}}" },
            },
            Spec = new V1PodSpec
            {
                NodeName = "local-0",
                Containers = [new V1Container { Name = "main", Image = "example/backend:1", Ports = [new V1ContainerPort { Name = portName, ContainerPort = containerPort }] }],
            },
        }, ns);
        return await SetReadyAsync(pod, ready);
    }

    /// <summary>What the kubelet writes once the process runs: podIP 127.0.0.1 and the Ready condition.</summary>
    public async Task<V1Pod> SetReadyAsync(V1Pod pod, bool ready)
    {
        var fresh = await Client.For<V1Pod>().GetAsync(pod.Metadata!.Name!, pod.Metadata.Namespace);
        var status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "127.0.0.1",
            HostIP = "127.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        };
        return await Client.For<V1Pod>().UpdateStatusAsync(fresh with { Status = status });
    }

    /// <summary>The router's port for a Service port, read from the router-ports annotation as any client would.</summary>
    public async Task<int> RouterPortAsync(string ns, string service, string portKey)
    {
        var port = 0;
        var found = await Eventually.TrueAsync(async () =>
        {
            var svc = await Client.For<V1Service>().GetAsync(service, ns);
            return RouterPorts.Parse(svc.Metadata?.Annotations).TryGetValue(portKey, out port);
        });
        found.Should().BeTrue($"the router should publish a port for {ns}/{service}:{portKey}");
        return port;
    }

    /// <summary>Installs the Gateway API HTTPRoute CRD from manifests/gateway-api.</summary>
    public async Task InstallHttpRouteCrdAsync()
    {
        var yaml = await File.ReadAllTextAsync(RepoPaths.Combine("manifests", "gateway-api", "httproute-crd.yaml"));
        var crd = YamlDocuments.Parse(yaml).Single().Deserialize(KubeJsonContext.Default.V1CustomResourceDefinition)!;
        var crds = Client.For<V1CustomResourceDefinition>();
        if (await crds.TryGetAsync(crd.Metadata!.Name!) is null)
        {
            await crds.CreateAsync(crd);
        }
    }

    public Task<JsonObject> CreateHttpRouteAsync(string ns, JsonObject route) =>
        Client.Unstructured(new ResourceDescriptor("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true)).CreateAsync(route, ns);
}
