using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// The node agent's components record Events as the real ones do, so the debugging a platform engineer does with
/// kubectl works: `kubectl get events`, `kubectl events --for`, and the Events section of `kubectl describe` show the
/// deployment-controller's ScalingReplicaSet, the replicaset-controller's SuccessfulCreate/SuccessfulDelete, the
/// scheduler's Scheduled/FailedScheduling, and the kubelet's Created/Started/Killing/Unhealthy/FailedMount.
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class KubectlEventsTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task Rollout_KubectlGetEventsAndDescribe_ShowWhatEachComponentDid()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1Deployment>().CreateAsync(HttpDeployment("web", 1), ns);
        await KubectlOkAsync(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"], 70);
        var pod = (await PodsAsync(cluster.Client, ns)).Single().Metadata!.Name!;

        var events = await EventuallyListedAsync(ns, "Started");
        // The real server's columns: no NAME, LAST SEEN first, OBJECT as kind/name.
        events.Should().StartWith("LAST SEEN").And.MatchRegex(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n")
            .And.MatchRegex(@"\n\d+s\s+Normal\s+ScalingReplicaSet\s+deployment/web\s+Scaled up replica set web-[a-z0-9]+ from 0 to 1")
            .And.MatchRegex($@"Normal\s+SuccessfulCreate\s+replicaset/web-[a-z0-9]+\s+Created pod: {pod}")
            .And.MatchRegex($@"Normal\s+Scheduled\s+pod/{pod}\s+Successfully assigned {ns}/{pod} to work-\d")
            .And.MatchRegex($@"Normal\s+Created\s+pod/{pod}\s+Created container: web")
            .And.MatchRegex($@"Normal\s+Started\s+pod/{pod}\s+Started container web");
        (await KubectlOkAsync(["get", "events", "-n", ns, "-o", "wide", "--field-selector", "reason=Started"])).Should()
            .MatchRegex(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME\n")
            .And.MatchRegex($@"Normal\s+Started\s+pod/{pod}\s+spec\.containers\{{web\}}\s+kubelet, work-\d\s+Started container web\s+\d+s\s+1\s+{pod}\.");
        (await KubectlOkAsync(["events", "-n", ns, "--for", "deployment/web"])).Should().Contain("ScalingReplicaSet").And.NotContain("SuccessfulCreate");
        (await KubectlOkAsync(["describe", "pod", pod, "-n", ns])).Should().MatchRegex(@"(?s)Events:.*Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned")
            .And.MatchRegex(@"Normal\s+Started\s+\S+\s+kubelet\S*\s+Started container web");

        await KubectlOkAsync(["scale", "deployment/web", "-n", ns, "--replicas=0"]);
        events = await EventuallyListedAsync(ns, "Killing");
        events.Should().MatchRegex(@"Normal\s+ScalingReplicaSet\s+deployment/web\s+Scaled down replica set web-[a-z0-9]+ from 1 to 0")
            .And.MatchRegex($@"Normal\s+SuccessfulDelete\s+replicaset/web-[a-z0-9]+\s+Deleted pod: {pod}")
            .And.MatchRegex($@"Normal\s+Killing\s+pod/{pod}\s+Stopping container web");
    }

    [Fact]
    public async Task UnschedulablePod_KubectlEventsFor_ShowsFailedSchedulingWithTheSchedulersMessage()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1Pod>().CreateAsync(HttpPod("stuck", "no-such-pool"), ns);

        await WaitForAsync(async () => (await KubectlOkAsync(["events", "-n", ns, "--for", "pod/stuck"])).Contains("FailedScheduling", StringComparison.Ordinal), "FailedScheduling");
        (await KubectlOkAsync(["events", "-n", ns, "--for", "pod/stuck"])).Should().MatchRegex(@"Warning\s+FailedScheduling\s+Pod/stuck\s+0/\d+ nodes are available: ");
        await cluster.Client.For<V1Pod>().DeleteAsync("stuck", ns);
    }

    [Fact]
    public async Task FailingReadinessProbe_Unhealthy_IsOneEventWhoseSeriesCounts()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pod = HttpPod("unready", "work");
        var container = pod.Spec!.Containers[0] with { ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 9 }, PeriodSeconds = 1 } };
        await cluster.Client.For<V1Pod>().CreateAsync(pod with { Spec = pod.Spec with { Containers = [container] } }, ns);

        var unhealthy = new ListOptions { FieldSelector = "involvedObject.name=unready,reason=Unhealthy" };
        await WaitForAsync(async () => (await cluster.Client.For<CoreV1Event>().ListAsync(ns, unhealthy)).Items.Any(e => e.Series?.Count >= 3), "a counted Unhealthy");

        var only = (await cluster.Client.For<CoreV1Event>().ListAsync(ns, unhealthy)).Items.Should().ContainSingle("repeats count on one Event").Subject;
        (only.Type, only.Message, only.InvolvedObject.FieldPath, only.ReportingComponent).Should()
            .Be(("Warning", "Readiness probe failed: TCP probe failed: no connection on port 9", "spec.containers{web}", "kubelet"));
        (await KubectlOkAsync(["describe", "pod", "unready", "-n", ns])).Should().MatchRegex(@"Warning\s+Unhealthy\s+.*\(x\d+ over .*\)\s+kubelet\S*\s+Readiness probe failed");
        await cluster.Client.For<V1Pod>().DeleteAsync("unready", ns);
    }

    [Fact]
    public async Task MissingConfigMap_FailedMount_FoundByTheOperatorsFieldSelector()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var pod = HttpPod("held", "work");
        var container = pod.Spec!.Containers[0] with { VolumeMounts = [new V1VolumeMount { Name = "artifact-ca", MountPath = "/etc/recpod/artifact-ca", ReadOnly = true }] };
        var volume = new V1Volume { Name = "artifact-ca", ConfigMap = new V1ConfigMapVolumeSource { Name = "store-ca" } };
        var created = await cluster.Client.For<V1Pod>().CreateAsync(pod with { Spec = pod.Spec with { Containers = [container], Volumes = [volume] } }, ns);

        // What RecModelReconciler.FailedMountEventsAsync asks a real cluster for.
        var failedMount = new ListOptions { FieldSelector = "involvedObject.kind=Pod,reason=FailedMount" };
        await WaitForAsync(async () => (await cluster.Client.For<CoreV1Event>().ListAsync(ns, failedMount)).Items.Count > 0, "a FailedMount Event");

        var only = (await cluster.Client.For<CoreV1Event>().ListAsync(ns, failedMount)).Items.Should().ContainSingle().Subject;
        (only.Type, only.InvolvedObject.Uid, only.Message).Should().Be(("Warning", created.Metadata!.Uid, "MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" not found"));
        await cluster.Client.For<V1Pod>().DeleteAsync("held", ns);
    }

    [Fact]
    public async Task RegisteredNodes_KubectlDescribeNode_ShowsRegisteredNode()
    {
        (await KubectlOkAsync(["describe", "node", "work-0"])).Should().MatchRegex(@"(?s)Events:.*Normal\s+RegisteredNode\s+.*node-controller\s+Node work-0 event: Registered Node work-0 in Controller");
    }

    private async Task<string> EventuallyListedAsync(string ns, string reason)
    {
        var listed = "";
        await WaitForAsync(async () => (listed = await KubectlOkAsync(["get", "events", "-n", ns])).Contains(reason, StringComparison.Ordinal), $"a {reason} Event listed");
        return listed;
    }

    private Task<string> KubectlOkAsync(string[] args, int timeoutSeconds = 30) => Kubectl.RunOkAsync(cluster.Server.KubeconfigPath!, args, timeoutSeconds);
}
