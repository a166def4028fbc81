using System.Globalization;
using System.Text.Json;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Objects and observations shared by the process tests: the test image's pods, pids and host ports.</summary>
public static class PodTestKit
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<string> NewNamespaceAsync(KubeApiClient client)
    {
        var name = "na-" + Guid.NewGuid().ToString("N")[..8];
        await client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static V1PodSpec HttpPodSpec(string? pool = "work", IDictionary<string, string>? env = null, long grace = 5) => new()
    {
        NodeSelector = pool is null ? null : new Dictionary<string, string> { [NodePoolConfig.PoolLabel] = pool },
        TerminationGracePeriodSeconds = grace,
        Containers =
        [
            new V1Container
            {
                Name = "web",
                Image = NodeAgentFixture.HttpImage,
                Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }],
                Env = env?.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList(),
                ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/" }, PeriodSeconds = 1 },
            },
        ],
    };

    public static V1Deployment HttpDeployment(string name, int replicas, string pool = "work", IDictionary<string, string>? env = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = HttpPodSpec(pool, env),
            },
        },
    };

    public static V1Pod HttpPod(string name, string? pool, IDictionary<string, string>? env = null, long grace = 5) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = HttpPodSpec(pool, env, grace) };

    public static async Task<List<V1Pod>> PodsAsync(KubeApiClient client, string ns, string? labelSelector = null) =>
        (await client.For<V1Pod>().ListAsync(ns, new ListOptions { LabelSelector = labelSelector })).Items.ToList();

    /// <summary>Polls until the condition holds; fails the test with <paramref name="what"/> when it never does.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still waiting after {timeoutSeconds}s for {what}");
            }
            await Task.Delay(100);
        }
    }

    public static bool IsReady(V1Pod pod) => PodView.IsReady(pod);

    /// <summary>The container's process id, from containerID process://PID.</summary>
    public static int PidOf(V1Pod pod) =>
        int.Parse(pod.Status!.ContainerStatuses![0].ContainerID!["process://".Length..], CultureInfo.InvariantCulture);

    public static int HostPortOf(V1Pod pod, int containerPort = 8080)
    {
        var ports = JsonSerializer.Deserialize<Dictionary<string, int>>(pod.Metadata!.Annotations![HostPorts.Annotation])!;
        return ports[containerPort.ToString(CultureInfo.InvariantCulture)];
    }

    /// <summary>Alive and not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task<string> GetAsync(int port, string path = "/") =>
        await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}{path}"));
}
