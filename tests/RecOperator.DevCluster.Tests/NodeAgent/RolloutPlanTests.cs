using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>One rolling-update step honours maxSurge and maxUnavailable, as the deployment controller does.</summary>
public sealed class RolloutPlanTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Theory]
    // replicas, maxSurge, maxUnavailable, old ready pods, new ready pods, new unready pods -> create, delete
    [InlineData(4, "1", "0", 4, 0, 0, 1, 0)]
    [InlineData(4, "1", "0", 4, 0, 1, 0, 0)]
    [InlineData(4, "1", "0", 4, 1, 0, 0, 1)]
    [InlineData(4, "0", "1", 4, 0, 0, 0, 1)]
    [InlineData(4, "0", "1", 3, 0, 0, 1, 0)]
    [InlineData(4, "25%", "25%", 4, 0, 0, 1, 1)]
    [InlineData(3, "0", "0", 3, 0, 0, 0, 1)]
    public void Compute_RollingUpdate_StaysWithinSurgeAndUnavailability(int replicas, string surge, string unavailable, int oldReady, int newReady, int newUnready, int create, int delete)
    {
        var deployment = Deployment(replicas, surge, unavailable);
        var pods = Pods("old", oldReady, true).Concat(Pods("new", newReady, true)).Concat(Pods("new", newUnready, false)).ToList();

        var plan = RolloutPlan.Compute(deployment, "new", pods, anyTerminating: false, Now);

        plan.Create.Should().Be(create);
        plan.Delete.Should().HaveCount(delete);
        plan.Delete.Where(p => p.Metadata!.Labels![PodTemplateHash.Label] != "old").Should().BeEmpty("only old pods make way");
    }

    [Fact]
    public void Compute_ScaleDownWithoutRollout_DeletesUnreadyPodsFirst()
    {
        var pods = Pods("new", 2, true).Concat(Pods("new", 1, false)).ToList();

        var plan = RolloutPlan.Compute(Deployment(2, "1", "0"), "new", pods, anyTerminating: false, Now);

        plan.Create.Should().Be(0);
        plan.Delete.Should().ContainSingle().Which.Should().Match<V1Pod>(p => !PodView.IsReady(p));
    }

    [Fact]
    public void Compute_FailedPod_IsDeletedAndReplaced()
    {
        var failed = Pods("new", 1, false).Single();
        failed = failed with { Status = failed.Status! with { Phase = "Failed" } };

        var plan = RolloutPlan.Compute(Deployment(1, "1", "0"), "new", [failed], anyTerminating: false, Now);

        (plan.Create, plan.Delete.Count).Should().Be((1, 1));
    }

    private static V1Deployment Deployment(int replicas, string surge, string unavailable) => new()
    {
        Metadata = new V1ObjectMeta { Name = "d", Namespace = "default" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector(),
            Template = new V1PodTemplateSpec(),
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = Parse(surge), MaxUnavailable = Parse(unavailable) },
            },
        },
    };

    private static IntOrString Parse(string value) => int.TryParse(value, out var n) ? n : value;

    private static IEnumerable<V1Pod> Pods(string hash, int count, bool ready) => Enumerable.Range(0, count).Select(i => new V1Pod
    {
        Metadata = new V1ObjectMeta { Name = $"{hash}-{ready}-{i}", Labels = new Dictionary<string, string> { [PodTemplateHash.Label] = hash }, CreationTimestamp = Now.AddMinutes(-i) },
        Spec = new V1PodSpec { Containers = [], NodeName = "n" },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now.AddHours(-1) }],
        },
    });
}
