using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// Deployments roll out through ReplicaSets as on a real cluster, so kubectl's rollout commands, which read them,
/// work: history, undo (client-side: it lists the ReplicaSets and patches the template back), pause, resume,
/// restart, and `get`/`scale rs`.
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class KubectlRolloutTests(NodeAgentFixture cluster)
{
    [Fact]
    public async Task RolloutUndo_AfterEnvChange_BringsRevisionOneBackAsRevisionThree()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await KubectlOkAsync(["create", "deployment", "web", "-n", ns, $"--image={NodeAgentFixture.HttpImage}", "--replicas=2", "--port=8080"]);
        await KubectlOkAsync(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"], 70);
        var first = (await ReplicaSetsAsync(ns)).Single();

        await KubectlOkAsync(["set", "env", "deployment/web", "-n", ns, "VERSION=2"]);
        await KubectlOkAsync(["annotate", "deployment/web", "-n", ns, "kubernetes.io/change-cause=version two"]);
        await KubectlOkAsync(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"], 70);
        await WaitForAsync(async () => (await ReplicaSetsAsync(ns)).Any(rs => rs.Metadata!.Annotations!.Find("kubernetes.io/change-cause") == "version two"),
            "the change-cause copied to the new ReplicaSet");

        var history = await KubectlOkAsync(["rollout", "history", "deployment/web", "-n", ns]);
        history.Should().MatchRegex(@"(?m)^1\s+<none>\s*$").And.MatchRegex(@"(?m)^2\s+version two\s*$");
        (await KubectlOkAsync(["rollout", "history", "deployment/web", "-n", ns, "--revision=2"])).Should().Contain("revision #2").And.MatchRegex(@"VERSION:\s+2");
        (await KubectlOkAsync(["rollout", "history", "deployment/web", "-n", ns, "--revision=1"])).Should().Contain("revision #1").And.NotContain("VERSION");

        (await KubectlOkAsync(["rollout", "undo", "deployment/web", "-n", ns])).Should().Contain("rolled back");
        await KubectlOkAsync(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"], 70);

        var deployment = await cluster.Client.For<V1Deployment>().GetAsync("web", ns);
        deployment.Spec!.Template.Spec!.Containers[0].Env.Should().BeNullOrEmpty("revision 1's template is back");
        await WaitForAsync(async () => (await cluster.Client.For<V1Deployment>().GetAsync("web", ns)).Metadata!.Annotations!.Find(DeploymentRevisions.Revision) == "3",
            "the Deployment at revision 3");
        var sets = await ReplicaSetsAsync(ns);
        sets.Should().HaveCount(2, "the rollback reuses revision 1's ReplicaSet");
        var current = sets.Single(rs => rs.Metadata!.Uid == first.Metadata!.Uid);
        current.Metadata!.Annotations!.Find(DeploymentRevisions.Revision).Should().Be("3");
        current.Metadata.Annotations!.Find(DeploymentRevisions.RevisionHistory).Should().Be("1");
        var previous = sets.Single(rs => rs.Metadata!.Uid != first.Metadata!.Uid);
        previous.Spec!.Replicas.Should().Be(0);
        var table = await KubectlOkAsync(["get", "rs", "-n", ns]);
        table.Should().MatchRegex($@"(?m)^{previous.Metadata!.Name}\s+0\s+0\s+0\s+").And.MatchRegex($@"(?m)^{current.Metadata!.Name}\s+2\s+2\s+2\s+");
        (await KubectlOkAsync(["rollout", "history", "deployment/web", "-n", ns])).Should().MatchRegex(@"(?m)^2\s+version two\s*$").And.MatchRegex(@"(?m)^3\s+");

        var pods = (await PodsAsync(cluster.Client, ns)).Where(PodView.IsActive).ToList();
        pods.Should().HaveCount(2);
        foreach (var pod in pods)
        {
            pod.Spec!.Containers[0].Env.Should().BeNullOrEmpty();
            var owner = pod.Metadata!.OwnerReferences.Should().ContainSingle().Subject;
            (owner.Kind, owner.Uid, owner.Controller, owner.BlockOwnerDeletion).Should().Be(("ReplicaSet", current.Metadata.Uid!, true, true));
            pod.Metadata.Name.Should().MatchRegex($"^{current.Metadata.Name}-[a-z0-9]{{5}}$");
        }
        var rsOwner = current.Metadata.OwnerReferences.Should().ContainSingle().Subject;
        (rsOwner.Kind, rsOwner.Uid, rsOwner.Controller).Should().Be(("Deployment", deployment.Metadata!.Uid!, true));

        await KubectlOkAsync(["delete", "deployment", "web", "-n", ns], 60);
        await WaitForAsync(async () => (await ReplicaSetsAsync(ns)).Count == 0 && (await PodsAsync(cluster.Client, ns)).Count == 0, "ReplicaSets and pods collected");
    }

    [Fact]
    public async Task RolloutPauseResumeRestart_KubectlCommands_ControlWhenANewReplicaSetRollsOut()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1Deployment>().CreateAsync(HttpDeployment("app", 1), ns);
        await KubectlOkAsync(["rollout", "status", "deployment/app", "-n", ns, "--timeout=60s"], 70);

        await KubectlOkAsync(["rollout", "pause", "deployment/app", "-n", ns]);
        await KubectlOkAsync(["set", "env", "deployment/app", "-n", ns, "VERSION=2"]);
        await WaitForAsync(async () => (await cluster.Client.For<V1Deployment>().GetAsync("app", ns)).Status!.Conditions!
            .Any(c => c.Type == "Progressing" && c.Reason == "DeploymentPaused" && c.Status == "Unknown"), "Progressing DeploymentPaused");
        await Task.Delay(1500);
        (await ReplicaSetsAsync(ns)).Should().ContainSingle("a paused Deployment does not roll out");

        await KubectlOkAsync(["rollout", "resume", "deployment/app", "-n", ns]);
        await KubectlOkAsync(["rollout", "status", "deployment/app", "-n", ns, "--timeout=60s"], 70);
        (await ReplicaSetsAsync(ns)).Should().HaveCount(2);

        await KubectlOkAsync(["rollout", "restart", "deployment/app", "-n", ns]);
        await KubectlOkAsync(["rollout", "status", "deployment/app", "-n", ns, "--timeout=60s"], 70);
        var sets = await ReplicaSetsAsync(ns);
        sets.Should().HaveCount(3);
        sets.Single(rs => rs.Spec!.Replicas == 1).Spec!.Template!.Metadata!.Annotations.Should().ContainKey("kubectl.kubernetes.io/restartedAt");
        (await KubectlOkAsync(["rollout", "history", "deployment/app", "-n", ns])).Should().MatchRegex(@"(?m)^3\s+");
    }

    [Fact]
    public async Task ScaleRs_StandaloneReplicaSet_RunsThatManyPodsItOwns()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var template = HttpDeployment("solo", 1).Spec!;
        await cluster.Client.For<V1ReplicaSet>().CreateAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "solo" },
            Spec = new V1ReplicaSetSpec { Replicas = 1, Selector = template.Selector, Template = template.Template },
        }, ns);

        await KubectlOkAsync(["scale", "rs", "solo", "-n", ns, "--replicas=3"]);

        await WaitForAsync(async () => (await cluster.Client.For<V1ReplicaSet>().GetAsync("solo", ns)).Status is { Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, FullyLabeledReplicas: 3 } s
            && s.ObservedGeneration == 2, "3 ready pods in the ReplicaSet's status");
        var pods = await PodsAsync(cluster.Client, ns);
        pods.Should().HaveCount(3).And.OnlyContain(p => p.Metadata!.OwnerReferences!.Single().Name == "solo" && p.Metadata.Name!.StartsWith("solo-", StringComparison.Ordinal));
        (await KubectlOkAsync(["get", "rs", "solo", "-n", ns])).Should().MatchRegex(@"(?m)^solo\s+3\s+3\s+3\s+");

        await KubectlOkAsync(["scale", "rs", "solo", "-n", ns, "--replicas=1"]);
        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)).Count(PodView.IsActive) == 1, "scaled down to one pod");
    }

    [Fact]
    public async Task RevisionHistoryLimit_One_KeepsOnlyTheNewestOldReplicaSet()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var deployments = cluster.Client.For<V1Deployment>();
        var deployment = HttpDeployment("hist", 1);
        await deployments.CreateAsync(deployment with { Spec = deployment.Spec! with { RevisionHistoryLimit = 1 } }, ns);
        foreach (var version in new[] { "2", "3" })
        {
            await KubectlOkAsync(["rollout", "status", "deployment/hist", "-n", ns, "--timeout=60s"], 70);
            await KubectlOkAsync(["set", "env", "deployment/hist", "-n", ns, $"VERSION={version}"]);
        }
        await KubectlOkAsync(["rollout", "status", "deployment/hist", "-n", ns, "--timeout=60s"], 70);

        await WaitForAsync(async () => (await ReplicaSetsAsync(ns)).Count == 2, "revision 1's ReplicaSet cleaned up");
        (await ReplicaSetsAsync(ns)).Select(rs => rs.Metadata!.Annotations!.Find(DeploymentRevisions.Revision)).Should().BeEquivalentTo(["2", "3"]);
    }

    [Fact]
    public async Task RolloutUndoToRevision_OneOfThree_BringsRevisionOnesTemplateBackAsRevisionFour()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        // No replicas: revisions are the ReplicaSets' templates, no pod has to run for them.
        await cluster.Client.For<V1Deployment>().CreateAsync(HttpDeployment("undo", 0), ns);
        await WaitForAsync(async () => (await ReplicaSetsAsync(ns)).Count == 1, "revision 1's ReplicaSet");
        var first = (await ReplicaSetsAsync(ns)).Single();
        foreach (var (version, count) in new[] { ("2", 2), ("3", 3) })
        {
            await KubectlOkAsync(["set", "env", "deployment/undo", "-n", ns, $"VERSION={version}"]);
            await WaitForAsync(async () => (await ReplicaSetsAsync(ns)).Count == count, $"revision {version}'s ReplicaSet");
        }

        (await KubectlOkAsync(["rollout", "undo", "deployment/undo", "-n", ns, "--to-revision=1"])).Should().Contain("rolled back");

        await WaitForAsync(async () => (await cluster.Client.For<V1Deployment>().GetAsync("undo", ns)).Metadata!.Annotations!.Find(DeploymentRevisions.Revision) == "4",
            "the Deployment at revision 4");
        (await cluster.Client.For<V1Deployment>().GetAsync("undo", ns)).Spec!.Template.Spec!.Containers[0].Env.Should().BeNullOrEmpty("revision 1's template is back");
        var sets = await ReplicaSetsAsync(ns);
        sets.Should().HaveCount(3, "revision 1's ReplicaSet is reused (kubectl's `resources: {}` changes nothing)");
        var current = sets.Single(rs => rs.Metadata!.Uid == first.Metadata!.Uid);
        (current.Metadata!.Annotations!.Find(DeploymentRevisions.Revision), current.Metadata.Annotations!.Find(DeploymentRevisions.RevisionHistory)).Should().Be(("4", "1"));
        var history = await KubectlOkAsync(["rollout", "history", "deployment/undo", "-n", ns]);
        history.Should().MatchRegex(@"(?m)^2\s+").And.MatchRegex(@"(?m)^3\s+").And.MatchRegex(@"(?m)^4\s+").And.NotMatchRegex(@"(?m)^1\s+");
        (await KubectlOkAsync(["rollout", "history", "deployment/undo", "-n", ns, "--revision=3"])).Should().MatchRegex(@"VERSION:\s+3");
    }

    [Fact]
    public async Task RolloutHistoryAndUndo_RevisionThatDoesNotExist_FailWithKubectlsError()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        await cluster.Client.For<V1Deployment>().CreateAsync(HttpDeployment("only", 0), ns);
        await WaitForAsync(async () => (await ReplicaSetsAsync(ns)).Count == 1, "revision 1's ReplicaSet");

        var history = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["rollout", "history", "deployment/only", "-n", ns, "--revision=7"]);
        var undo = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, ["rollout", "undo", "deployment/only", "-n", ns, "--to-revision=7"]);

        history.ExitCode.Should().NotBe(0, history.ToString());
        history.Stderr.Should().Contain("unable to find the specified revision");
        undo.ExitCode.Should().NotBe(0, undo.ToString());
        undo.Stderr.Should().Contain("unable to find specified revision 7 in history");
    }

    private async Task<List<V1ReplicaSet>> ReplicaSetsAsync(string ns) =>
        (await cluster.Client.For<V1ReplicaSet>().ListAsync(ns)).Items.Where(rs => rs.Metadata!.DeletionTimestamp is null).ToList();

    private Task<string> KubectlOkAsync(string[] args, int timeoutSeconds = 30) => Kubectl.RunOkAsync(cluster.Server.KubeconfigPath!, args, timeoutSeconds);
}
