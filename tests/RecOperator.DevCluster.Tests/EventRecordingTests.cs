using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// The shared Event recorder against a real DevCluster whose Event TTL is three seconds: a repeat counts on the one
/// Event, the fire-and-forget queue writes what is posted and survives a write that fails, and an Event nothing
/// writes to for the TTL is gone from `kubectl get events`.
/// </summary>
public sealed class EventRecordingTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("devcluster-events-").FullName;
    private DevClusterServer _server = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _directory, Secure = false, EventTtl = Ttl }, CancellationToken.None);
        _client = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RecordAsync_SameOccurrenceTwice_OneEventCountedTwice()
    {
        var ns = await NewNamespaceAsync(_client);
        var pod = Pod(ns, "web-1");
        var recorder = new EventRecorder(_client, "kubelet", "node-a");

        await recorder.RecordAsync(EventOccurrence.AboutTyped(pod, EventRecorder.Warning, "Unhealthy", "Probe", "Readiness probe failed: x", "spec.containers{web}"), CancellationToken.None);
        await recorder.RecordAsync(EventOccurrence.AboutTyped(pod, EventRecorder.Warning, "Unhealthy", "Probe", "Readiness probe failed: x", "spec.containers{web}"), CancellationToken.None);

        var events = (await _client.For<CoreV1Event>().ListAsync(ns)).Items;
        var only = events.Should().ContainSingle().Subject;
        (only.Reason, only.Type, only.Count ?? only.Series?.Count).Should().Be(("Unhealthy", "Warning", 2));
        (only.InvolvedObject.Kind, only.InvolvedObject.Name, only.InvolvedObject.FieldPath, only.ReportingComponent, only.ReportingInstance)
            .Should().Be(("Pod", "web-1", "spec.containers{web}", "kubelet", "node-a"));
    }

    [Fact]
    public async Task Post_ThroughTheQueue_IsWrittenAndAFailedWriteDoesNotStopTheNext()
    {
        var ns = await NewNamespaceAsync(_client);
        await using var queue = new EventQueue(new EventRecorder(_client, "default-scheduler", "test"), NullLogger.Instance);

        // Its namespace does not exist: the API server refuses the write, the queue logs it and goes on.
        queue.Post(EventOccurrence.AboutTyped(Pod("no-such-namespace", "lost"), EventRecorder.Normal, "Scheduled", "Binding", "Successfully assigned x")).Should().BeTrue();
        queue.Post(EventOccurrence.AboutTyped(Pod(ns, "web-1"), EventRecorder.Normal, "Scheduled", "Binding", $"Successfully assigned {ns}/web-1 to node-a")).Should().BeTrue();

        await WaitForAsync(async () => (await _client.For<CoreV1Event>().ListAsync(ns)).Items.Any(e => e.Reason == "Scheduled"), "the second occurrence written");
    }

    [Fact]
    public async Task Expiry_NothingWritesToAnEventForTheTtl_KubectlNoLongerListsIt()
    {
        var ns = await NewNamespaceAsync(_client);
        await new EventRecorder(_client, "kubelet", "node-a").RecordAsync(
            EventOccurrence.AboutTyped(Pod(ns, "web-1"), EventRecorder.Normal, "Started", "Start", "Started container web"), CancellationToken.None);
        (await KubectlOkAsync("get", "events", "-n", ns)).Should().Contain("Started container web");

        await WaitForAsync(async () => !(await KubectlOkAsync("get", "events", "-n", ns)).Contains("Started", StringComparison.Ordinal), "the Event expired", timeoutSeconds: 15);
        (await _client.For<EventsV1Event>().ListAsync(ns)).Items.Should().BeEmpty("expired in both versions, which are one store");
    }

    private Task<string> KubectlOkAsync(params string[] args) => Kubectl.RunOkAsync(_server.KubeconfigPath!, args);

    private static V1Pod Pod(string ns, string name) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Namespace = ns, Uid = Guid.NewGuid().ToString() } };
}
