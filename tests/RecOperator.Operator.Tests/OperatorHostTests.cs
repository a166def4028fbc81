using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Leadership;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class OperatorHostTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task RunAsync_UnreachableApiServer_NotReadyButHealthyAndStillRunning()
    {
        using var client = new KubeApiClient(KubeClientConfig.ForServer(new Uri($"http://127.0.0.1:{FakeServerTest.UnusedPort()}")));
        var informers = new SharedInformerFactory(client, NullLoggerFactory.Instance, new SharedInformerOptions { Watch = new ListWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) } });
        informers.For<V1ConfigMap>();
        var host = new OperatorHost(client, informers, [], new OperatorMetrics(), new OperatorHostOptions { HealthEndpoint = AnyLoopbackPort }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        using var http = new HttpClient { BaseAddress = await host.HealthAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        await Task.Delay(300); // several failed lists, each retried with backoff

        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var healthy = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Contain("ConfigMap: API server unreachable");
        healthy.StatusCode.Should().Be(HttpStatusCode.OK);
        run.IsCompleted.Should().BeFalse();
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_TwoInstances_OnlyLeaderReconcilesAndOtherTakesOverWhenItStops()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.AddCollection("/apis/coordination.k8s.io/v1/namespaces/default/leases", "Lease", "coordination.k8s.io/v1");
        server.AddCollection("/api/v1/configmaps", "ConfigMap", "v1").Seed("work");
        var (hostA, reconcilesA, stopA, runA) = StartInstance(server, "a");
        await Eventually.Until(() => hostA.IsLeader && reconcilesA.Count > 0);
        var (hostB, reconcilesB, stopB, runB) = StartInstance(server, "b");
        using var http = new HttpClient { BaseAddress = await hostB.HealthAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        await Eventually.Until(() => hostB.Readiness().Ready);

        hostB.IsLeader.Should().BeFalse();
        reconcilesB.Should().BeEmpty("a follower keeps its cache warm but does not reconcile");

        await stopA.CancelAsync();
        await runA;
        await Eventually.Until(() => hostB.IsLeader && reconcilesB.Count > 0);

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Should().Contain("recop_reconcile_duration_seconds_count{controller=\"configmaps\"} 1").And.Contain("recop_workqueue_depth{controller=\"configmaps\"} 0");
        await stopB.CancelAsync();
        await runB;
        stopA.Dispose();
        stopB.Dispose();
    }

    [Fact]
    public async Task Metrics_ReconcileFails_ErrorsTotalByControllerAndReasonIsServed()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.AddCollection("/api/v1/configmaps", "ConfigMap", "v1").Seed("broken");
        using var client = new KubeApiClient(KubeClientConfig.ForServer(server.BaseAddress));
        var informers = new SharedInformerFactory(client, NullLoggerFactory.Instance);
        using var metrics = new OperatorMetrics();
        var attempts = 0;
        using var controller = new Controller("configmaps", new DelegateReconciler((_, _) =>
            Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException("first try fails") : Task.FromResult(ReconcileResult.Done)),
            null, metrics, NullLogger.Instance).Watch(informers.For<V1ConfigMap>());
        var host = new OperatorHost(client, informers, [controller], metrics, new OperatorHostOptions { HealthEndpoint = AnyLoopbackPort }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        using var http = new HttpClient { BaseAddress = await host.HealthAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        await Eventually.Until(() => metrics.Reconciles("configmaps") == 2); // failed, then retried after backoff

        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        text.Split('\n').Should().Contain(line => line.StartsWith("recop_reconcile_errors_total{", StringComparison.Ordinal)
            && line.Contains("controller=\"configmaps\"", StringComparison.Ordinal)
            && line.Contains("reason=\"InvalidOperationException\"", StringComparison.Ordinal)
            && line.EndsWith("} 1", StringComparison.Ordinal));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Metrics_ClientWithTheCounter_KubeRequestsByMethodAndCodeAreServed()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.AddCollection("/api/v1/configmaps", "ConfigMap", "v1").Seed("one");
        using var metrics = new OperatorMetrics();
        using var client = new KubeApiClient(KubeClientConfig.ForServer(server.BaseAddress), new KubeApiClientOptions { OnResponse = metrics.CountApiResponse });
        var informers = new SharedInformerFactory(client, NullLoggerFactory.Instance);
        informers.For<V1ConfigMap>();
        var host = new OperatorHost(client, informers, [], metrics, new OperatorHostOptions { HealthEndpoint = AnyLoopbackPort }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        using var http = new HttpClient { BaseAddress = await host.HealthAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        await Eventually.Until(() => host.Readiness().Ready);
        var missing = await client.For<V1ConfigMap>().TryGetAsync("missing", "default");

        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        missing.Should().BeNull();
        var lines = text.Split('\n');
        lines.Should().Contain(line => line.StartsWith("recop_kube_requests_total{", StringComparison.Ordinal)
            && line.Contains("method=\"GET\"", StringComparison.Ordinal) && line.Contains("code=\"404\"", StringComparison.Ordinal)
            && line.EndsWith("} 1", StringComparison.Ordinal), "the one GET of a missing object");
        lines.Should().Contain(line => line.StartsWith("recop_kube_requests_total{", StringComparison.Ordinal)
            && line.Contains("method=\"GET\"", StringComparison.Ordinal) && line.Contains("code=\"200\"", StringComparison.Ordinal), "the informer's list");
        metrics.ApiResponses.Should().BeGreaterThanOrEqualTo(2, "the informer's list and the GET at least");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static (OperatorHost, List<ObjectKey>, CancellationTokenSource, Task) StartInstance(FakeApiServer server, string identity)
    {
        var client = new KubeApiClient(KubeClientConfig.ForServer(server.BaseAddress));
        var informers = new SharedInformerFactory(client, NullLoggerFactory.Instance);
        var reconciled = new List<ObjectKey>();
        var metrics = new OperatorMetrics();
        var controller = new Controller("configmaps", new DelegateReconciler((key, _) =>
        {
            lock (reconciled)
            {
                reconciled.Add(key);
            }

            return Task.FromResult(ReconcileResult.Done);
        }), null, metrics, NullLogger.Instance).Watch(informers.For<V1ConfigMap>());
        var options = new OperatorHostOptions
        {
            HealthEndpoint = AnyLoopbackPort,
            LeaderElection = new LeaderElectionOptions
            {
                LeaseName = "rec-operator",
                LeaseNamespace = "default",
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1.5),
                RetryPeriod = TimeSpan.FromMilliseconds(100),
            },
        };
        var host = new OperatorHost(client, informers, [controller], metrics, options, NullLoggerFactory.Instance);
        var stop = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            await host.RunAsync(stop.Token);
            controller.Dispose();
            client.Dispose();
        });
        return (host, reconciled, stop, run);
    }
}
