using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class ControllerTests : FakeServerTest
{
    [Fact]
    public async Task Reconciler_ConflictOnUpdate_IsRetriedWithAFreshRead()
    {
        ConfigMaps.Seed("counter", new JsonObject { ["n"] = "0" });
        var attempts = 0;
        var reconciler = new DelegateReconciler(async (key, ct) =>
        {
            var configMaps = Client.For<V1ConfigMap>();
            var current = await configMaps.GetAsync(key.Name, key.Namespace, ct);
            if (Interlocked.Increment(ref attempts) == 1)
            {
                ConfigMaps.Modify("counter", o => o["data"]!["n"] = "5"); // someone else writes between our read and write
            }

            if (current.Data!["n"] != "done")
            {
                await configMaps.UpdateAsync(current with { Data = new Dictionary<string, string> { ["n"] = "done", ["seen"] = current.Data["n"] } }, ct);
            }

            return ReconcileResult.Done;
        });
        var metrics = new OperatorMetrics();
        using var controller = FastController(reconciler, metrics);
        var informer = Informer();
        controller.Watch(informer);

        var run = RunAll(informer, controller);
        await Eventually.Until(() => ConfigMaps.Get("counter")!["data"]!["n"]!.GetValue<string>() == "done");

        ConfigMaps.Get("counter")!["data"]!["seen"]!.GetValue<string>().Should().Be("5", "the retry re-read the object and saw the other writer's value");
        metrics.Errors("configmaps", "Conflict").Should().Be(1);
        await StopBackgroundWorkAsync();
        await run;
    }

    [Fact]
    public async Task Reconciler_TerminalResult_IsNotRetriedAndCounted()
    {
        ConfigMaps.Seed("bad");
        var calls = new ConcurrentQueue<ObjectKey>();
        var metrics = new OperatorMetrics();
        using var controller = FastController(new DelegateReconciler((key, _) =>
        {
            calls.Enqueue(key);
            return Task.FromResult(ReconcileResult.Terminal("spec.replicas must be positive"));
        }), metrics);
        var informer = Informer();
        controller.Watch(informer);

        var run = RunAll(informer, controller);
        await Eventually.Until(() => metrics.Errors("configmaps", "Terminal") == 1);
        await Task.Delay(200);

        calls.Should().ContainSingle().Which.Should().Be(new ObjectKey("default", "bad"));
        await StopBackgroundWorkAsync();
        await run;
    }

    [Fact]
    public async Task Reconciler_RequeueAfter_KeyComesBackOnlyOnceTheDelayHasPassed()
    {
        var time = new ManualTimeProvider();
        var calls = 0;
        using var controller = new Controller("timed", new DelegateReconciler((_, _) =>
            Task.FromResult(Interlocked.Increment(ref calls) == 1 ? ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)) : ReconcileResult.Done)),
            new ControllerOptions { Workers = 2 }, new OperatorMetrics(), NullLogger.Instance, time);
        var run = controller.RunAsync(Stopping);
        controller.Queue.Add(new ObjectKey("default", "timed"));
        await Eventually.Until(() => calls == 1 && time.PendingTimers == 1);

        time.Advance(TimeSpan.FromSeconds(29.999));
        await Task.Delay(100); // idle workers would have picked the key up by now
        calls.Should().Be(1, "the key waits for its RequeueAfter");
        controller.Queue.Count.Should().Be(0);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.Until(() => calls == 2);
        controller.Queue.Requeues(new ObjectKey("default", "timed")).Should().Be(0, "a timed re-check is not a failure");
        time.PendingTimers.Should().Be(0, "Done asks for nothing more");
        await StopBackgroundWorkAsync();
        await run;
    }

    [Fact]
    public async Task Controller_StatusOnlyUpdate_DoesNotWakeReconcilerButSpecChangeDoes()
    {
        ConfigMaps.Seed("m");
        var calls = 0;
        using var controller = FastController(new DelegateReconciler((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(ReconcileResult.Done);
        }), new OperatorMetrics());
        var informer = Informer();
        controller.Watch(informer);
        var run = RunAll(informer, controller);
        await Eventually.Until(() => calls == 1);

        ConfigMaps.Modify("m", o => o["status"] = new JsonObject { ["seen"] = "1" }); // generation unchanged
        await Task.Delay(200);
        calls.Should().Be(1);

        ConfigMaps.Modify("m", o => o["metadata"]!["generation"] = 2);
        await Eventually.Until(() => calls == 2);
        await StopBackgroundWorkAsync();
        await run;
    }

    [Fact]
    public async Task Owns_OwnedDeploymentChanges_ReconcilesItsControllingOwner()
    {
        var deployments = Server.AddCollection("/apis/apps/v1/namespaces/default/deployments", "Deployment", "apps/v1");
        deployments.Seed("ctr-cpu");
        var keys = new ConcurrentQueue<ObjectKey>();
        using var controller = FastController(new DelegateReconciler((key, _) =>
        {
            keys.Enqueue(key);
            return Task.FromResult(ReconcileResult.Done);
        }), new OperatorMetrics());
        var informer = new SharedInformer<V1Deployment>(Client.For<V1Deployment>(), "default", null, NullLogger.Instance);
        controller.Owns(informer, "serving.recoperator.io/v1alpha1", "RecModel");
        var run = Task.WhenAll(informer.RunAsync(Stopping), controller.RunAsync(Stopping));
        await Eventually.Until(() => informer.HasSynced);

        deployments.Modify("ctr-cpu", o => o["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "serving.recoperator.io/v1alpha1", ["kind"] = "RecModel", ["name"] = "ctr", ["uid"] = "u1", ["controller"] = true,
        }));
        await Eventually.Until(() => !keys.IsEmpty);

        keys.Should().Equal(new ObjectKey("default", "ctr"));
        await StopBackgroundWorkAsync();
        await run;
    }

    private Controller FastController(IReconciler reconciler, OperatorMetrics metrics) =>
        new("configmaps", reconciler, new ControllerOptions { Workers = 2, RateLimiter = new ExponentialFailureRateLimiter<ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1)) }, metrics, NullLogger.Instance);

    private SharedInformer<V1ConfigMap> Informer() => new(
        Client.For<V1ConfigMap>(), "default",
        new SharedInformerOptions { Watch = new ListWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) } }, NullLogger.Instance);

    private Task RunAll(SharedInformer<V1ConfigMap> informer, Controller controller) =>
        Task.WhenAll(informer.RunAsync(Stopping), controller.RunAsync(Stopping));
}
