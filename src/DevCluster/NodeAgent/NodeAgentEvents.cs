using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One Event queue per component of the node agent, each under the reporting controller the real component uses, so
/// `kubectl describe` shows From: default-scheduler, kubelet, replicaset-controller... as on a real cluster. Every
/// queue writes in the background: no pass of the scheduler, controllers or kubelet waits on an Event.
/// </summary>
public sealed class NodeAgentEvents : IAsyncDisposable
{
    public NodeAgentEvents(KubeApiClient api, ILogger logger, TimeProvider time)
    {
        EventQueue Queue(string controller, string instance) => new(new EventRecorder(api, controller, instance, time), logger, time);
        var host = Environment.MachineName;
        // kube-scheduler names its instance after its controller and host; the kubelet's is its node (set per Event).
        Scheduler = Queue("default-scheduler", $"default-scheduler-{host}");
        ReplicaSets = Queue("replicaset-controller", "kube-controller-manager");
        Deployments = Queue("deployment-controller", "kube-controller-manager");
        Nodes = Queue("node-controller", "kube-controller-manager");
        Kubelet = Queue("kubelet", host);
    }

    public EventQueue Scheduler { get; }

    public EventQueue ReplicaSets { get; }

    public EventQueue Deployments { get; }

    public EventQueue Nodes { get; }

    public EventQueue Kubelet { get; }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in new[] { Scheduler, ReplicaSets, Deployments, Nodes, Kubelet })
        {
            await queue.DisposeAsync().ConfigureAwait(false);
        }
    }
}
