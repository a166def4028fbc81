using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The pure status builder: what the pods and Deployments report as wrong (read by <see cref="WorkloadProblems"/>)
/// reaches the RecModel's Ready, Progressing and Degraded conditions with the reason and the evidence.
/// </summary>
public sealed class RecModelStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 20, 0, 0, TimeSpan.Zero);
    private static readonly VariantSpec Variant = new()
    {
        Name = "cpu-int8", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "s3://models/ranking/int8.onnx" }, NodePools = ["spot"],
        Replicas = new ReplicaBounds { Min = 1, Max = 10 },
    };

    private static readonly RecModel Model = new()
    {
        Metadata = new V1ObjectMeta { Name = "ranking", Namespace = "shop", Uid = "u", Generation = 4 },
        Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 25 }, Variants = [Variant] },
    };

    [Fact]
    public void Build_PodCannotLoadTheArtifact_DegradedArtifactUnavailableWithThePodsMessage()
    {
        const string message = "artifact 's3://models/ranking/int8.onnx': sha256 is 9f3c..., the spec says 0f1e...";
        var pod = Pod(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = message } });

        var status = Build([pod], Deployment(ready: 0, progressDeadlineExceeded: false));

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c =>
            c.Status == "True" && c.Reason == Conditions.ArtifactUnavailable && c.Message == message && c.ObservedGeneration == 4);
        Condition(status, Conditions.Ready).Should().Match<V1Condition>(c => c.Status == "False" && c.Reason == "ReplicasNotReady");
    }

    [Fact]
    public void Build_PodHeldBackByAMissingCaConfigMap_DegradedArtifactCaUnavailableNamingTheVariantAndTheConfigMap()
    {
        var held = new V1ContainerStateWaiting
        {
            Reason = "CreateContainerConfigError",
            Message = "MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" not found",
        };
        var pods = new[] { Pod(new V1ContainerState { Waiting = held }), Pod(new V1ContainerState { Waiting = held }) };

        var status = Build(pods, Deployment(ready: 0, progressDeadlineExceeded: true));

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.ArtifactCaUnavailable
            && c.Message == "variant cpu-int8 cannot mount its artifact caBundle: configmap \"store-ca\" not found");
        Condition(status, Conditions.Ready).Status.Should().Be("False");
    }

    [Fact]
    public void Build_PodHeldBackByAMissingCredentialsSecret_DegradedArtifactCredentialsUnavailableNamingTheVariantAndTheSecret()
    {
        var held = Pod(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CreateContainerConfigError", Message = "secret \"model-store-s3\" not found" } })
            with { Spec = new V1PodSpec { Containers = [new V1Container { Name = "recpod", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "model-store-s3" } }] }] } };

        var status = Build([held], Deployment(ready: 0, progressDeadlineExceeded: true));

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.ArtifactCredentialsUnavailable
            && c.Message == "variant cpu-int8 cannot read its artifact credentialsSecret: secret \"model-store-s3\" not found");
    }

    [Fact]
    public void Build_DeploymentPastItsProgressDeadline_ProgressingFalseAndDegradedRolloutStuck()
    {
        var status = Build([], Deployment(ready: 1, progressDeadlineExceeded: true));

        Condition(status, Conditions.Progressing).Should().Match<V1Condition>(c =>
            c.Status == "False" && c.Reason == Conditions.RolloutStuck && c.Message == "progress deadline exceeded: ranking-cpu-int8-spot");
        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c =>
            c.Status == "True" && c.Reason == Conditions.RolloutStuck && c.Message == "rollout stuck: ranking-cpu-int8-spot");
    }

    [Fact]
    public void Build_StuckBecauseTheArtifactIsMissing_DegradedNamesTheCauseAndProgressingTheSymptom()
    {
        var pod = Pod(new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = "artifact 's3://models/ranking/int8.onnx': download answered 404 Not Found" } });

        var status = Build([pod], Deployment(ready: 1, progressDeadlineExceeded: true));

        Condition(status, Conditions.Degraded).Reason.Should().Be(Conditions.ArtifactUnavailable, "the artifact is why the rollout cannot finish");
        Condition(status, Conditions.Progressing).Reason.Should().Be(Conditions.RolloutStuck);
    }

    [Fact]
    public void Build_HealthyRolledOutDeployment_NotDegradedAndPerPoolCounts()
    {
        var status = Build([], Deployment(ready: 2, progressDeadlineExceeded: false));

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "False" && c.Reason == "AsExpected");
        Condition(status, Conditions.Ready).Status.Should().Be("True");
        status.Variants.Single().Pools.Single().Should().Match<VariantPoolStatus>(p => p.Replicas == 2 && p.ReadyReplicas == 2 && p.DesiredReplicas == 2);
    }

    [Fact]
    public void Build_NewPodFailingBesideTheOldOneThatServes_ProgressingNamesTheDeploymentNotComplete()
    {
        // One replica wanted: the old pod is ready, the updated one crash-loops (Replicas 2, UpdatedReplicas 1, Available 1).
        var deployment = Deployment(ready: 1, progressDeadlineExceeded: false) with
        {
            Spec = new V1DeploymentSpec { Replicas = 1, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        };
        deployment = deployment with { Status = deployment.Status! with { Replicas = 2, UpdatedReplicas = 1, ReadyReplicas = 1, AvailableReplicas = 1 } };

        var status = Build([], deployment);

        Condition(status, Conditions.Progressing).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == "RollingOut"
            && c.Message.EndsWith("rolling out: ranking-cpu-int8-spot", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2, 2, 2, 2, 2, false)]
    [InlineData(1, 2, 2, 2, 2, true)]
    [InlineData(2, 1, 2, 1, 1, true)]
    [InlineData(2, 3, 2, 2, 2, true)]
    [InlineData(2, 2, 2, 1, 1, true)]
    public void InProgress_LikeKubectlRolloutStatus(int observedGeneration, int replicas, int updated, int ready, int available, bool inProgress)
    {
        var deployment = Deployment(ready, progressDeadlineExceeded: false);
        deployment = deployment with
        {
            Status = deployment.Status! with { ObservedGeneration = observedGeneration, Replicas = replicas, UpdatedReplicas = updated, AvailableReplicas = available },
        };

        DeploymentRollout.InProgress(deployment).Should().Be(inProgress);
    }

    [Fact]
    public void Build_HealthyButAPoolOfOtherHardwareListed_DegradedHardwareMismatchWithTheLine()
    {
        const string mismatch = "variant gpu-fp16 (Gpu) lists NodePool spot (Cpu); it runs only in Gpu pools, so it is not placed there";

        var status = Build([], Deployment(ready: 2, progressDeadlineExceeded: false), [mismatch]);

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.HardwareMismatch && c.Message == mismatch);
        Condition(status, Conditions.Ready).Status.Should().Be("True", "what is placed is ready");
    }

    [Fact]
    public void Build_ChildNameTakenAndTheRolloutStuck_DegradedNameConflictNamingEachObjectAndItsOwner()
    {
        var owner = new V1OwnerReference { ApiVersion = "serving.recoperator.io/v1alpha1", Kind = "RecModel", Name = "ranking-ctr", Uid = "v", Controller = true };
        ChildConflict[] conflicts = [new("Service", "ranking-ctr-a", owner), new("ConfigMap", "ranking-routing", null)];

        var status = Build([], Deployment(ready: 0, progressDeadlineExceeded: true), conflicts: conflicts);

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.NameConflict && c.Message ==
            "not applied, the name is taken: Service ranking-ctr-a is controlled by RecModel ranking-ctr (uid v); ConfigMap ranking-routing exists without a controller");
    }

    [Fact]
    public void Build_PlanWithRawFigures_WritesThemRounded()
    {
        var plan = new FleetPlan
        {
            Replicas = new Dictionary<PlacementKey, int> { [Spot] = 2 },
            TrafficWeights = new Dictionary<PlacementKey, double> { [Spot] = 1 },
            Measured = new Dictionary<PlacementKey, MeasuredFigures> { [Spot] = new(14.666486071511999, 18.688123456) },
            Capacity = new Dictionary<string, CapacityEstimate> { ["cpu-int8"] = new(512.3456, CapacitySource.Observed) },
        };

        var status = Build([], Deployment(ready: 2, progressDeadlineExceeded: false), plan: plan, costPerReplicaHour: 0.07, replicas: 3);

        (status.Qps, status.P99LatencyMs, status.CostPerHour).Should().Be((14.67, 18.69, 0.21), "3 x 0.07 is 0.21000000000000002 as a double");
        var pool = status.Variants.Single().Pools.Single();
        (pool.Qps, pool.P99LatencyMs).Should().Be((14.67, 18.69));
        status.Variants.Single().CapacityQpsPerReplica.Should().Be(512.35);
    }

    [Fact]
    public void Build_PoolWithNoReadyReplica_WritesNoFiguresForIt()
    {
        var plan = new FleetPlan
        {
            Replicas = new Dictionary<PlacementKey, int> { [Spot] = 2 },
            Measured = new Dictionary<PlacementKey, MeasuredFigures> { [Spot] = new(120, 14) },
        };

        var status = Build([], Deployment(ready: 0, progressDeadlineExceeded: false), plan: plan);

        var pool = status.Variants.Single().Pools.Single();
        (pool.Qps, pool.P99LatencyMs).Should().Be(((double?)null, (double?)null), "the window's tail of traffic a pool no longer serves is stale");
        (status.Qps, status.P99LatencyMs).Should().Be(((double?)null, (double?)null));
    }

    [Fact]
    public void Build_VariantListsAPoolThatDoesNotExist_DegradedNodePoolNotFoundAndThePoolNotListed()
    {
        var variant = Variant with { NodePools = ["spot", "spot-typo"] };
        var model = Model with { Spec = Model.Spec with { Variants = [variant] } };
        var missing = new PlacementKey("cpu-int8", "spot-typo");

        var status = Build([], Deployment(ready: 2, progressDeadlineExceeded: false), missingPools: [missing], model: model);

        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.NodePoolNotFound
            && c.Message == "variant cpu-int8 lists NodePool spot-typo, which does not exist; it is not placed there");
        Condition(status, Conditions.Ready).Status.Should().Be("True", "what is placed is ready");
        status.Variants.Single().Pools.Select(p => p.Pool).Should().Equal("spot");
    }

    [Fact]
    public void Build_OnlyPoolDoesNotExist_NoReplicasNamesTheVariantAndThePool()
    {
        var variant = Variant with { NodePools = ["does-not-exist"] };
        var model = Model with { Spec = Model.Spec with { Variants = [variant] } };
        var observation = new RecModelObservation([], [], WorkloadProblems.Find([], []), Plan: null) { MissingPools = [new("cpu-int8", "does-not-exist")] };

        var status = RecModelStatusBuilder.Build(model, observation, Now);

        Condition(status, Conditions.Ready).Should().Match<V1Condition>(c => c.Status == "False" && c.Reason == "NoReplicas"
            && c.Message == "no variant is placed: variant cpu-int8 lists NodePool does-not-exist, which does not exist; it is not placed there");
        Condition(status, Conditions.Degraded).Should().Match<V1Condition>(c => c.Status == "True" && c.Reason == Conditions.NodePoolNotFound);
        status.Variants.Single().Pools.Should().BeEmpty();
    }

    private static readonly PlacementKey Spot = new("cpu-int8", "spot");

    private static RecModelStatus Build(
        IReadOnlyList<V1Pod> pods, V1Deployment deployment, IReadOnlyList<string>? hardwareMismatches = null, IReadOnlyList<ChildConflict>? conflicts = null,
        FleetPlan? plan = null, double costPerReplicaHour = 0.04, int replicas = 2, IReadOnlyList<PlacementKey>? missingPools = null, RecModel? model = null)
    {
        var placements = new[] { new VariantPlacement(Variant, "spot", new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = costPerReplicaHour }, replicas) };
        var observation = new RecModelObservation(placements, [deployment], WorkloadProblems.Find(pods, [deployment]), plan)
        {
            HardwareMismatches = hardwareMismatches ?? [],
            Conflicts = conflicts ?? [],
            MissingPools = missingPools ?? [],
        };
        return RecModelStatusBuilder.Build(model ?? Model, observation, Now);
    }

    private static V1Condition Condition(RecModelStatus status, string type) => status.Conditions.Single(c => c.Type == type);

    private static V1Pod Pod(V1ContainerState state) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ranking-cpu-int8-spot-abc", Namespace = "shop", Labels = ChildLabels.For("ranking", "cpu-int8", "spot") },
        Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [new V1ContainerStatus { Name = "recpod", Image = "i", ImageID = "", Ready = false, RestartCount = 2, State = state }],
        },
    };

    private static V1Deployment Deployment(int ready, bool progressDeadlineExceeded) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ranking-cpu-int8-spot", Namespace = "shop", Generation = 2, Labels = ChildLabels.For("ranking", "cpu-int8", "spot") },
        Spec = new V1DeploymentSpec { Replicas = 2, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = 2, Replicas = 2, UpdatedReplicas = 2, ReadyReplicas = ready, AvailableReplicas = ready,
            Conditions = progressDeadlineExceeded
                ? [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }]
                : [new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "NewReplicaSetAvailable" }],
        },
    };
}
