using System.Globalization;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>One deployment controller step over its ReplicaSets honours maxSurge and maxUnavailable, as kube-controller-manager's does.</summary>
public sealed class RolloutPlanTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.UnixEpoch.AddDays(1);

    [Theory]
    // replicas, maxSurge, maxUnavailable, old size, old available, new size, new available -> new size, old size
    [InlineData(4, "1", "0", 4, 4, 0, 0, 1, 4)] // surge one new pod, keep every old one
    [InlineData(4, "1", "0", 4, 4, 1, 0, 1, 4)] // the surge pod is not available yet: nothing else moves
    [InlineData(4, "1", "0", 4, 4, 1, 1, 1, 3)] // it is: one old pod goes
    [InlineData(4, "0", "1", 4, 4, 0, 0, 0, 3)] // no surge: first make room
    [InlineData(4, "0", "1", 3, 3, 0, 0, 1, 3)] // then fill it
    [InlineData(4, "25%", "25%", 4, 4, 1, 0, 1, 3)] // 25% of 4: one surge, one unavailable
    [InlineData(10, "25%", "25%", 10, 10, 0, 0, 3, 10)] // surge rounds up (2.5 -> 3)
    [InlineData(10, "25%", "25%", 10, 10, 3, 0, 3, 8)] // unavailability rounds down (2.5 -> 2)
    [InlineData(3, "0", "0", 3, 3, 0, 0, 0, 2)] // both 0 would stall: maxUnavailable becomes 1
    [InlineData(4, "1", "0", 4, 2, 1, 1, 1, 3)] // unavailable old pods are scaled away first, within what may go
    [InlineData(4, "1", "1", 4, 0, 1, 0, 1, 3)] // unavailable old pods go first, but no further than replicas - maxUnavailable allows
    public void Compute_RollingUpdate_StaysWithinSurgeAndUnavailability(int replicas, string surge, string unavailable, int oldSize, int oldAvailable, int newSize, int newAvailable, int expectedNew, int expectedOld)
    {
        var deployment = Deployment(replicas, surge, unavailable);
        var old = ReplicaSet("d-old", oldSize, oldAvailable, 1, replicas);
        var fresh = ReplicaSet("d-new", newSize, newAvailable, 2, replicas);

        var plan = RolloutPlan.Compute(deployment, fresh, [old], oldPodsRunning: oldSize > 0);

        plan.CreateNew.Should().BeNull();
        plan.ScalingOnly.Should().BeFalse();
        plan.Scale.GetValueOrDefault("d-new", newSize).Should().Be(expectedNew);
        plan.Scale.GetValueOrDefault("d-old", oldSize).Should().Be(expectedOld);
        (plan.Scale.ContainsKey("d-new") && plan.Scale.ContainsKey("d-old")).Should().BeFalse("the new ReplicaSet grows, or else the old ones shrink, in one step");
    }

    [Theory]
    [InlineData(4, "1", "0", 4, 1)]
    [InlineData(4, "25%", "25%", 4, 1)]
    [InlineData(4, "100%", "0", 4, 4)]
    [InlineData(4, "1", "0", 0, 4)]
    public void Compute_NoNewReplicaSet_CreatesOneSizedWithinTheSurge(int replicas, string surge, string unavailable, int oldSize, int expected)
    {
        var old = oldSize > 0 ? new[] { ReplicaSet("d-old", oldSize, oldSize, 1, replicas) } : [];

        var plan = RolloutPlan.Compute(Deployment(replicas, surge, unavailable), null, old, oldPodsRunning: oldSize > 0);

        plan.CreateNew.Should().Be(expected);
        plan.Scale.Should().BeEmpty();
    }

    [Fact]
    public void Compute_Recreate_ScalesOldToZeroThenWaitsForTheirPodsThenCreates()
    {
        var deployment = Deployment(3, "1", "0") with { Spec = Deployment(3, "1", "0").Spec! with { Strategy = new V1DeploymentStrategy { Type = "Recreate" } } };
        var old = ReplicaSet("d-old", 3, 3, 1, 3);
        var scaledDown = ReplicaSet("d-old", 0, 0, 1, 3);

        RolloutPlan.Compute(deployment, null, [old], oldPodsRunning: true).Scale.Should().Equal(new Dictionary<string, int> { ["d-old"] = 0 });
        RolloutPlan.Compute(deployment, null, [scaledDown], oldPodsRunning: true).Should().Match<RolloutPlan>(p => p.CreateNew == null && p.Scale.Count == 0,
            "old pods still stopping");
        RolloutPlan.Compute(deployment, null, [scaledDown], oldPodsRunning: false).CreateNew.Should().Be(3);
        RolloutPlan.Compute(deployment, ReplicaSet("d-new", 1, 0, 2, 3), [scaledDown], oldPodsRunning: false).Scale.Should().Equal(new Dictionary<string, int> { ["d-new"] = 3 });
    }

    [Fact]
    public void Compute_ReplicasChangedMidRollout_ScalesEveryReplicaSetInProportion()
    {
        // A rollout of 10 (maxSurge 3) under way: 8 old, 5 new; then scaled to 20 (max 20 + 5 = 25 pods).
        var deployment = Deployment(20, "25%", "25%");
        var old = ReplicaSet("d-old", 8, 8, 1, 10, maxReplicas: 13);
        var fresh = ReplicaSet("d-new", 5, 0, 2, 10, maxReplicas: 13);

        var plan = RolloutPlan.Compute(deployment, fresh, [old], oldPodsRunning: true);

        plan.ScalingOnly.Should().BeTrue();
        plan.Scale.Values.Sum().Should().Be(25);
        plan.Scale["d-old"].Should().Be(15, "8 * 25 / 13 rounded");
        plan.Scale["d-new"].Should().Be(10, "the rest");
    }

    [Fact]
    public void Compute_Paused_OnlyScalesTheActiveReplicaSet()
    {
        var paused = Deployment(2, "1", "0") with { Spec = Deployment(2, "1", "0").Spec! with { Paused = true } };
        var scaled = paused with { Spec = paused.Spec! with { Replicas = 5 } };

        var plan = RolloutPlan.Compute(paused, null, [ReplicaSet("d-old", 2, 2, 1, 2)], oldPodsRunning: true);
        var scaledPlan = RolloutPlan.Compute(scaled, null, [ReplicaSet("d-old", 2, 2, 1, 2)], oldPodsRunning: true);

        (plan.CreateNew, plan.ScalingOnly).Should().Be((null, true), "a paused Deployment starts no rollout of its changed template");
        plan.Scale.Should().Equal(new Dictionary<string, int> { ["d-old"] = 2 });
        (scaledPlan.CreateNew, scaledPlan.ScalingOnly).Should().Be((null, true));
        scaledPlan.Scale.Should().Equal(new Dictionary<string, int> { ["d-old"] = 5 });
    }

    internal static V1Deployment Deployment(int replicas, string surge, string unavailable) => new()
    {
        Metadata = new V1ObjectMeta { Name = "d", Namespace = "default", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            ProgressDeadlineSeconds = 600,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "d" } },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = IntOrPercent(surge), MaxUnavailable = IntOrPercent(unavailable) },
            },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "d" } } },
        },
    };

    private static IntOrString IntOrPercent(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : text;

    internal static V1ReplicaSet ReplicaSet(string name, int size, int available, long revision, int desired, int? maxReplicas = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, Namespace = "default", CreationTimestamp = Created.AddMinutes(revision), Generation = 1,
            Annotations = new Dictionary<string, string>
            {
                [DeploymentRevisions.Revision] = revision.ToString(CultureInfo.InvariantCulture),
                [DeploymentRevisions.DesiredReplicas] = desired.ToString(CultureInfo.InvariantCulture),
                [DeploymentRevisions.MaxReplicas] = (maxReplicas ?? desired + 1).ToString(CultureInfo.InvariantCulture),
            },
        },
        Spec = new V1ReplicaSetSpec { Replicas = size, Selector = new V1LabelSelector() },
        Status = new V1ReplicaSetStatus { Replicas = size, ReadyReplicas = available, AvailableReplicas = available, ObservedGeneration = 1 },
    };
}
