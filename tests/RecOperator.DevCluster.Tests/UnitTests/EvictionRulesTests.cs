using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The eviction subresource's decisions, as kube-apiserver's eviction.go makes them.</summary>
public sealed class EvictionRulesTests
{
    [Theory]
    [InlineData("Pending", false, true, true)]
    [InlineData("Running", false, false, true)]
    [InlineData("Succeeded", false, true, false)]
    [InlineData("Failed", false, true, false)]
    [InlineData("Running", true, true, false)]
    public void CanIgnoreBudgetAndEnforcesResourceVersion_ByPhaseAndDeletion(string phase, bool deleting, bool ignoresBudget, bool enforcesVersion)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", DeletionTimestamp = deleting ? DateTimeOffset.UnixEpoch : null },
            Status = new V1PodStatus { Phase = phase },
        };

        (EvictionRules.CanIgnoreBudget(pod), EvictionRules.EnforcesResourceVersion(pod)).Should().Be((ignoresBudget, enforcesVersion));
    }

    [Theory]
    [InlineData(null, 2, 2, true)]
    [InlineData("IfHealthyBudget", 2, 2, true)]
    [InlineData("IfHealthyBudget", 1, 2, false)]
    [InlineData("IfHealthyBudget", 0, 0, false)] // desiredHealthy 0: a budget the controller has not filled is not "met"
    [InlineData("AlwaysAllow", 0, 2, true)]
    public void MayDeleteUnhealthy_ByPolicyAndBudget(string? policy, int currentHealthy, int desiredHealthy, bool expected)
    {
        var budget = Budget(allowed: 0, current: currentHealthy, desired: desiredHealthy);
        budget = budget with { Spec = budget.Spec! with { UnhealthyPodEvictionPolicy = policy } };

        EvictionRules.MayDeleteUnhealthy(Pod(ready: false), budget).Should().Be(expected);
        EvictionRules.MayDeleteUnhealthy(Pod(ready: true), budget).Should().BeFalse("a healthy pod always asks its budget");
    }

    [Fact]
    public void Refusal_StatusOlderThanTheSpec_429StillProcessingWithRetryAfter()
    {
        var budget = Budget(allowed: 1, current: 3, desired: 2, generation: 2, observed: 1);

        var refusal = EvictionRules.Refusal(budget)!;

        (refusal.Code, refusal.Reason, refusal.Message).Should().Be((429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget."));
        refusal.Details!["retryAfterSeconds"]!.GetValue<int>().Should().Be(10);
        Cause(refusal).Should().Be("The disruption budget web is still being processed by the server.");
    }

    [Fact]
    public void Refusal_NoDisruptionLeft_429NamingTheCounts()
    {
        var refusal = EvictionRules.Refusal(Budget(allowed: 0, current: 2, desired: 2))!;

        refusal.Code.Should().Be(429);
        refusal.Details!["retryAfterSeconds"].Should().BeNull("client-go would wait for a Retry-After header by itself");
        Cause(refusal).Should().Be("The disruption budget web needs 2 healthy pods and has 2 currently");
    }

    [Fact]
    public void Refusal_NegativeAllowedOrTooManyUnconfirmedEvictions_403()
    {
        var negative = EvictionRules.Refusal(Budget(allowed: -1, current: 1, desired: 2))!;
        var crowded = Budget(allowed: 1, current: 3, desired: 2);
        crowded = crowded with
        {
            Status = crowded.Status! with
            {
                DisruptedPods = Enumerable.Range(0, EvictionRules.MaxDisruptedPods + 1).ToDictionary(i => $"p{i}", _ => DateTimeOffset.UnixEpoch),
            },
        };

        (negative.Code, negative.Message).Should().Be((403, "poddisruptionbudget.policy \"web\" is forbidden: pdb disruptions allowed is negative"));
        EvictionRules.Refusal(crowded)!.Message.Should().Be(
            "poddisruptionbudget.policy \"web\" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        EvictionRules.Refusal(Budget(allowed: 1, current: 3, desired: 2)).Should().BeNull();
    }

    [Fact]
    public void Spend_LastDisruption_RecordsThePodAndClosesTheCondition()
    {
        var now = DateTimeOffset.Parse("2026-11-24T10:00:00.750Z", System.Globalization.CultureInfo.InvariantCulture);

        var spent = EvictionRules.Spend(Budget(allowed: 1, current: 3, desired: 2).Status!, "web-a", now);

        spent.DisruptionsAllowed.Should().Be(0);
        spent.DisruptedPods.Should().ContainKey("web-a").WhoseValue.Should().Be(now.AddMilliseconds(-750));
        spent.Conditions.Should().ContainSingle(c => c.Type == "DisruptionAllowed" && c.Status == "False" && c.Reason == "InsufficientPods");
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "12", false)]
    [InlineData(false, null, false)]
    public void ConflictIsRetryable_OnlyForThePreconditionTheServerAdded(bool serverSet, string? clientVersion, bool expected) =>
        EvictionRules.ConflictIsRetryable(serverSet, clientVersion).Should().Be(expected);

    [Fact]
    public void DisruptionTarget_AddedOnceAndReplacedInPlace_KeepsItsTransitionTime()
    {
        var first = DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var pod = JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")!.AsObject();

        DisruptionTargetCondition.Add(pod, first);
        DisruptionTargetCondition.Add(pod, first.AddMinutes(1));

        var conditions = pod["status"]!["conditions"]!.AsArray();
        conditions.Select(c => c!["type"]!.GetValue<string>()).Should().Equal("Ready", "DisruptionTarget");
        conditions[1]!["lastTransitionTime"]!.GetValue<string>().Should().Be("2026-11-24T10:00:00Z");
    }

    private static V1Pod Pod(bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-a" },
        Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static V1PodDisruptionBudget Budget(int allowed, int current, int desired, long generation = 1, long observed = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Namespace = "ns", Generation = generation },
        Spec = new V1PodDisruptionBudgetSpec(),
        Status = new V1PodDisruptionBudgetStatus
        {
            DisruptionsAllowed = allowed, CurrentHealthy = current, DesiredHealthy = desired, ExpectedPods = 3, ObservedGeneration = observed,
        },
    };

    private static string Cause(ApiException refusal) => refusal.Details!["causes"]![0]!["message"]!.GetValue<string>();
}
