using System.Text.RegularExpressions;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;
using static RecOperator.DevCluster.Tests.NodeAgent.PodTestKit;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// The ReplicaSet and deployment controllers' remaining kube-controller-manager behaviour, seen through kubectl: pods
/// claimed by label (released and adopted), ReplicaFailure on a refused template, and a pod-template-hash collision
/// resolved through collisionCount. Pods stay Pending in a pool that has no nodes: claims and failures need no process.
/// </summary>
[Collection(NodeAgentCollection.Name)]
public sealed class KubectlReplicaSetControllerTests(NodeAgentFixture cluster)
{
    private const string NoNodes = "no-such-pool";

    [Fact]
    public async Task LabelPod_RemovedThenAddedBack_ReleasedAndReplacedThenAdoptedAndTheSurplusDeleted()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var deployment = HttpDeployment("claim", 2, pool: NoNodes);
        await cluster.Client.For<V1ReplicaSet>().CreateAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "claim" },
            Spec = new V1ReplicaSetSpec { Replicas = 2, Selector = deployment.Spec!.Selector, Template = deployment.Spec.Template },
        }, ns);
        await WaitForAsync(async () => (await OwnedAsync(ns)).Count == 2, "two pods of the ReplicaSet");
        var taken = (await OwnedAsync(ns))[0].Metadata!.Name!;

        await KubectlOkAsync(["label", "pod", taken, "-n", ns, "app-"]);

        await WaitForAsync(async () => (await OwnedAsync(ns)).Count == 2 && (await OwnedAsync(ns)).All(p => p.Metadata!.Name != taken), "a replacement for the released pod");
        var released = await cluster.Client.For<V1Pod>().GetAsync(taken, ns);
        released.Metadata!.OwnerReferences.Should().BeNullOrEmpty("the ReplicaSet released the pod that stopped matching");
        released.Metadata.DeletionTimestamp.Should().BeNull();

        await KubectlOkAsync(["label", "pod", taken, "-n", ns, "app=claim"]);

        // Adopted, it is one pod too many: the ReplicaSet deletes one (which, among pods created in the same second, is
        // not ours to say), so the adopted pod is either owned now or already deleted as the surplus.
        await WaitForAsync(async () => (await cluster.Client.For<V1Pod>().TryGetAsync(taken, ns)) is not { } pod || !PodView.IsActive(pod)
            || pod.Metadata!.OwnerReferences?.Any(o => o.Controller == true && o.Name == "claim") == true, "the orphan adopted");
        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns, "app=claim")).Where(PodView.IsActive).ToList() is { Count: 2 } active
            && active.All(p => p.Metadata!.OwnerReferences?.SingleOrDefault() is { Kind: "ReplicaSet", Name: "claim", Controller: true, BlockOwnerDeletion: true }),
            "two active pods, both the ReplicaSet's: the surplus deleted");
    }

    [Fact]
    public async Task RefusedTemplate_MissingServiceAccount_ReplicaFailureOnReplicaSetAndDeploymentUntilItExists()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var deployment = HttpDeployment("refused", 3, pool: NoNodes);
        await cluster.Client.For<V1Deployment>().CreateAsync(deployment with
        {
            Spec = deployment.Spec! with { Template = deployment.Spec.Template with { Spec = deployment.Spec.Template.Spec! with { ServiceAccountName = "missing" } } },
        }, ns);
        var message = $"error looking up service account {ns}/missing: serviceaccount \"missing\" not found";

        await WaitForAsync(async () => (await KubectlOkAsync(["get", "deployment", "refused", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"ReplicaFailure\")].reason}"])) == "FailedCreate",
            "ReplicaFailure on the Deployment");
        // kubectl folds the long message over lines.
        var yaml = Regex.Replace(await KubectlOkAsync(["get", "rs", "-n", ns, "-o", "yaml"]), @"\s+", " ");
        yaml.Should().Contain("type: ReplicaFailure").And.Contain("reason: FailedCreate").And.Contain(message);
        var condition = (await cluster.Client.For<V1Deployment>().GetAsync("refused", ns)).Status!.Conditions!.Single(c => c.Type == "ReplicaFailure");
        condition.Status.Should().Be("True");
        condition.Message.Should().StartWith("pods \"refused-").And.EndWith($"is forbidden: {message}");
        (await PodsAsync(cluster.Client, ns)).Should().BeEmpty();

        await KubectlOkAsync(["create", "serviceaccount", "missing", "-n", ns]);

        await WaitForAsync(async () => (await PodsAsync(cluster.Client, ns)).Count == 3, "the pods created once the ServiceAccount exists");
        await WaitForAsync(async () => (await cluster.Client.For<V1ReplicaSet>().ListAsync(ns)).Items.Single().Status?.Conditions is null
            && (await cluster.Client.For<V1Deployment>().GetAsync("refused", ns)).Status!.Conditions!.All(c => c.Type != "ReplicaFailure"),
            "ReplicaFailure removed from the ReplicaSet and the Deployment");
    }

    [Fact]
    public async Task HashCollision_NameTakenByAnotherReplicaSet_CollisionCountOneAndRolloutUnderANewName()
    {
        var ns = await NewNamespaceAsync(cluster.Client);
        var deployment = HttpDeployment("web", 1, pool: NoNodes);
        await cluster.Client.For<V1Deployment>().CreateAsync(deployment with { Spec = deployment.Spec! with { Paused = true } }, ns);
        // The server's defaulted template is what the controller hashes.
        var template = (await cluster.Client.For<V1Deployment>().GetAsync("web", ns)).Spec!.Template;
        var taken = $"web-{PodTemplateHash.Of(template)}";
        var squatterLabels = new Dictionary<string, string> { ["app"] = "squatter" };
        await cluster.Client.For<V1ReplicaSet>().CreateAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = taken, Labels = squatterLabels },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0, Selector = new V1LabelSelector { MatchLabels = squatterLabels },
                Template = deployment.Spec.Template with { Metadata = new V1ObjectMeta { Labels = squatterLabels } },
            },
        }, ns);

        await KubectlOkAsync(["rollout", "resume", "deployment/web", "-n", ns]);

        var renamed = $"web-{PodTemplateHash.Of(template, 1)}";
        await WaitForAsync(async () => (await cluster.Client.For<V1ReplicaSet>().TryGetAsync(renamed, ns)) is not null, "the new ReplicaSet under the name collisionCount 1 gives");
        (await KubectlOkAsync(["get", "deployment", "web", "-n", ns, "-o", "jsonpath={.status.collisionCount}"])).Should().Be("1");
        (await KubectlOkAsync(["get", "rs", renamed, "-n", ns, "-o", "jsonpath={.metadata.labels.pod-template-hash}"])).Should().Be(PodTemplateHash.Of(template, 1));
        var squatter = await cluster.Client.For<V1ReplicaSet>().GetAsync(taken, ns);
        squatter.Metadata!.OwnerReferences.Should().BeNullOrEmpty("the other ReplicaSet is not taken over");
    }

    private async Task<List<V1Pod>> OwnedAsync(string ns) =>
        (await PodsAsync(cluster.Client, ns)).Where(p => PodView.IsActive(p) && p.Metadata!.OwnerReferences?.Any(o => o.Controller == true && o.Name == "claim") == true).ToList();

    private async Task<string> KubectlOkAsync(string[] args)
    {
        var result = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, args, timeoutSeconds: 30);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout;
    }
}
