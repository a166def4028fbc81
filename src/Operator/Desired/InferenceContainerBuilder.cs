using System.Globalization;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.InferencePod.Configuration;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// The inference pod's container for one variant: its settings from the spec as RECPOD_* environment variables
/// (names from the pod's own settings catalog), resources, probes and a restricted security context.
/// </summary>
public static class InferenceContainerBuilder
{
    public const string ContainerName = "recpod";
    public const string CacheVolumeName = "cache";
    public const string CacheMountPath = "/var/cache/recpod";

    public static V1Container Build(RecModel model, VariantSpec variant, NodePoolSpec pool, ArtifactMount artifact, OperatorImages images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(images);
        var mounts = new List<V1VolumeMount> { new() { Name = CacheVolumeName, MountPath = CacheMountPath } };
        mounts.AddRange(artifact.Mounts);

        return new V1Container
        {
            Name = ContainerName,
            Image = variant.Hardware == Hardware.Gpu ? images.InferencePodGpu : images.InferencePod,
            Args = ["pod"],
            Env = Environment(model, variant, artifact),
            Ports =
            [
                new V1ContainerPort { Name = PodPorts.HttpName, ContainerPort = PodPorts.Http, Protocol = "TCP" },
                new V1ContainerPort { Name = PodPorts.GrpcName, ContainerPort = PodPorts.Grpc, Protocol = "TCP" },
            ],
            Resources = Resources(variant, pool),
            // Model load and warm-up can take a while; the startup probe holds liveness off until the pod has started.
            StartupProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/v2/health/live", Port = PodPorts.HttpName }, PeriodSeconds = 2, FailureThreshold = 90 },
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/v2/health/ready", Port = PodPorts.HttpName }, PeriodSeconds = 2, FailureThreshold = 2 },
            LivenessProbe = new V1Probe { Grpc = new V1GRPCAction { Port = PodPorts.Grpc }, PeriodSeconds = 10, FailureThreshold = 3 },
            // A pod that cannot start says why on its last log line (an artifact it cannot fetch, a sha256 mismatch, a
            // bad setting); with this policy the kubelet puts that tail in the container's termination message, where
            // the operator reads it (WorkloadProblems) and `kubectl describe pod` shows it.
            TerminationMessagePolicy = "FallbackToLogsOnError",
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = mounts,
            EnvFrom = ArtifactCredentials(variant.Artifact),
        };
    }

    private static List<V1EnvVar> Environment(RecModel model, VariantSpec variant, ArtifactMount artifact)
    {
        var spec = model.Spec;
        var settings = new List<(PodSetting Setting, string? Value)>
        {
            (PodSettings.ModelName, model.Metadata?.Name),
            (PodSettings.Variant, variant.Name),
            (PodSettings.Artifact, artifact.PodUri),
            (PodSettings.Sha256, variant.Artifact.Sha256),
            (PodSettings.ArtifactCa, artifact.CaFile),
            (PodSettings.CacheDirectory, CacheMountPath),
            (PodSettings.BindAddress, "0.0.0.0"),
            (PodSettings.HttpPort, Invariant(PodPorts.Http)),
            (PodSettings.GrpcPort, Invariant(PodPorts.Grpc)),
            (PodSettings.ExecutionProvider, variant.ExecutionProvider.ToString()),
            (PodSettings.IntraOpThreads, Invariant(variant.IntraOpThreads)),
            (PodSettings.MaxBatchSize, Invariant(spec.Batching.MaxBatchSize)),
            (PodSettings.MaxQueueDelayMicros, Invariant(spec.Batching.MaxQueueDelayMicros)),
            (PodSettings.MaxQueueRequests, Invariant(spec.Batching.MaxQueueSize)),
            // The spec's user-side inputs replace the artifact's metadata; without them the pod keeps its own default
            // (reuse on, user inputs from the artifact), rather than having reuse switched off by a field left out.
            (PodSettings.UserInputs, spec.Inputs is { User.Count: > 0 } inputs ? PodSettingLists.Join(inputs.User) : null),
        };
        return settings
            .Where(s => s.Value is not null)
            .Select(s => new V1EnvVar { Name = s.Setting.EnvironmentVariable, Value = s.Value })
            .ToList();
    }

    // Gpu and Asic pods ask for one of the pool's accelerators, as a limit (extended resources cannot overcommit).
    private static V1ResourceRequirements? Resources(VariantSpec variant, NodePoolSpec pool)
    {
        if (variant.Hardware == Hardware.Cpu || pool.AcceleratorResourceName is null)
        {
            return variant.Resources;
        }

        var accelerator = pool.AcceleratorResourceName;
        return (variant.Resources ?? new V1ResourceRequirements()) with
        {
            Limits = WithOne(variant.Resources?.Limits, accelerator),
            Requests = WithOne(variant.Resources?.Requests, accelerator),
        };
    }

    private static Dictionary<string, ResourceQuantity> WithOne(IDictionary<string, ResourceQuantity>? quantities, string resource) =>
        new(quantities ?? new Dictionary<string, ResourceQuantity>()) { [resource] = ResourceQuantity.Parse("1") };

    /// <summary>
    /// The artifact's credentialsSecret as the container's envFrom: every key of the Secret becomes a variable the pod
    /// reads its store's credentials from (AWS_*, GOOGLE_OAUTH_ACCESS_TOKEN). Kubernetes lets <c>env</c> win over
    /// <c>envFrom</c>, so a key named like a RECPOD_* setting cannot change what the operator set. Not optional: a
    /// missing Secret holds the pod back (CreateContainerConfigError) rather than starting it without credentials.
    /// </summary>
    private static List<V1EnvFromSource>? ArtifactCredentials(ArtifactSpec artifact) =>
        artifact.CredentialsSecret is { } secret ? [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secret } }] : null;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
