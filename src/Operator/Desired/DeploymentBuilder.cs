using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// The Deployment of one variant in one node pool: a pure function of the RecModel and the pool. It never sets
/// replicas: the autoscaler decides them (its plan) and the RecModel reconciler, the only writer of Deployments,
/// applies them with the rest of the spec (see RecModelReconciler.WithReplicas), so the two never fight.
/// </summary>
public static class DeploymentBuilder
{
    /// <summary>Seconds a pod gets to drain in-flight requests after SIGTERM.</summary>
    public const int TerminationGracePeriodSeconds = 30;

    public static V1Deployment Build(RecModel model, VariantSpec variant, string poolName, NodePoolSpec pool, OperatorImages images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(pool);
        var modelName = model.Metadata?.Name ?? throw new ArgumentException("the RecModel has no name", nameof(model));
        var labels = ChildLabels.For(modelName, variant.Name, poolName);
        var selector = new V1LabelSelector { MatchLabels = ChildLabels.Selector(modelName, variant.Name, poolName) };
        var artifact = ArtifactMount.For(variant.Artifact);
        var volumes = new List<V1Volume> { new() { Name = InferenceContainerBuilder.CacheVolumeName, EmptyDir = new V1EmptyDirVolumeSource() } };
        volumes.AddRange(artifact.Volumes);

        return new V1Deployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = ChildNames.Deployment(modelName, variant.Name, poolName),
                Namespace = model.Metadata.Namespace,
                Labels = labels,
                OwnerReferences = [OwnerReferences.ControllerOf(model)],
            },
            Spec = new V1DeploymentSpec
            {
                Selector = selector,
                // Surge first, never dip: a rollout must not take capacity away from a fleet sized for its SLO.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 },
                },
                RevisionHistoryLimit = 3,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string>
                        {
                            ["prometheus.io/scrape"] = "true",
                            ["prometheus.io/port"] = PodPorts.Http.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            ["prometheus.io/path"] = "/metrics",
                        },
                    },
                    Spec = new V1PodSpec
                    {
                        Containers = [InferenceContainerBuilder.Build(model, variant, pool, artifact, images)],
                        NodeSelector = pool.NodeSelector.Count > 0 ? new Dictionary<string, string>(pool.NodeSelector) : null,
                        Tolerations = pool.Tolerations.Count > 0 ? [.. pool.Tolerations] : null,
                        TerminationGracePeriodSeconds = TerminationGracePeriodSeconds,
                        TopologySpreadConstraints =
                        [
                            new V1TopologySpreadConstraint
                            {
                                MaxSkew = 1,
                                TopologyKey = "kubernetes.io/hostname",
                                WhenUnsatisfiable = "ScheduleAnyway",
                                LabelSelector = selector,
                            },
                        ],
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = 65532,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        Volumes = volumes,
                    },
                },
            },
        };
    }
}
