using System.Text.RegularExpressions;
using RecOperator.Crds.Models;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Validation;

/// <summary>
/// The cross-field rules of the resources: what one field cannot say alone. Each also has a CEL rule on its type
/// (<c>CelRule</c>, emitted as <c>x-kubernetes-validations</c>), so an API server that evaluates CEL refuses the same
/// specs: replicas min &lt;= max (<c>ReplicaBounds</c>), Cuda and TensorRT only on Gpu (<c>VariantSpec</c>), an
/// artifact's caBundle only with a URI fetched over TLS and its credentialsSecret only with a bucket store's URI
/// (<c>ArtifactSpec</c>), the caBundle from exactly one source (<c>CaBundleSpec</c>),
/// minTotalReplicas &lt;= the sum of replicas.max and no input both user- and candidate-side (<c>RecModelSpec</c>),
/// prometheusUrl with source Prometheus (<c>MetricsSourceSpec</c>), acceleratorResourceName on Gpu and Asic pools
/// (<c>NodePoolSpec</c>). The messages differ: these name the values. They run wherever the operator or the CLI sees
/// a resource, so an API server without CEL (or a spec never sent to one) cannot let an invalid spec through.
/// Unique variant names (a list-map key) and unique node pools per variant (a list-type set) are schema rules,
/// enforced by the API server and by <see cref="StructuralSchemaValidator"/>. Checked in C# only, by
/// <see cref="ResourceValidator"/>: metadata.name is a DNS-1123 label (the API server accepts any DNS-1123
/// subdomain), a RecModel name is at most 22 characters, no two (variant, pool) pairs of a model give their Deployment
/// the same name, and a NodePool has no namespace.
/// </summary>
public static class ResourceRules
{
    public static void Check(RecModelSpec spec, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(errors);
        for (var i = 0; i < spec.Variants.Count; i++)
        {
            CheckVariant(spec.Variants[i], $"spec.variants[{i}]", errors);
        }

        CheckDeploymentNames(spec.Variants, errors);
        CheckMinTotalReplicas(spec, errors);
        CheckInputs(spec.Inputs, errors);
        if (spec.Autoscaling.Metrics is { Source: MetricsSourceKind.Prometheus, PrometheusUrl: null })
        {
            errors.Add(new("spec.autoscaling.metrics.prometheusUrl", "is required when source is Prometheus"));
        }
    }

    public static void Check(NodePoolSpec spec, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(errors);
        if (spec.Hardware != Hardware.Cpu && string.IsNullOrEmpty(spec.AcceleratorResourceName))
        {
            errors.Add(new("spec.acceleratorResourceName", $"is required for {spec.Hardware} pools (e.g. nvidia.com/gpu)"));
        }
    }

    private static void CheckVariant(VariantSpec variant, string path, List<FieldError> errors)
    {
        if (variant.Replicas.Min > variant.Replicas.Max)
        {
            errors.Add(new($"{path}.replicas", $"min ({variant.Replicas.Min}) must be <= max ({variant.Replicas.Max})"));
        }

        if (variant.ExecutionProvider is ExecutionProvider.Cuda or ExecutionProvider.TensorRT && variant.Hardware != Hardware.Gpu)
        {
            errors.Add(new($"{path}.executionProvider", $"{variant.ExecutionProvider} needs hardware Gpu (the variant's hardware is {variant.Hardware})"));
        }

        if (variant.Artifact.CaBundle is { } bundle && (bundle.ConfigMapKeyRef is null) == (bundle.SecretKeyRef is null))
        {
            var found = bundle.ConfigMapKeyRef is null ? "neither is" : "both are";
            errors.Add(new($"{path}.artifact.caBundle", $"{CaBundleSpec.OneSourceMessage}; {found}"));
        }

        if (variant.Artifact.CaBundle is not null
            && !Regex.IsMatch(variant.Artifact.Uri, Patterns.TlsArtifactUri, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new($"{path}.artifact.caBundle", $"needs an artifact fetched over TLS (uri https://, s3:// or gs://); the uri is \"{variant.Artifact.Uri}\""));
        }

        if (variant.Artifact.CredentialsSecret is not null
            && !Regex.IsMatch(variant.Artifact.Uri, Patterns.ObjectStoreArtifactUri, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new($"{path}.artifact.credentialsSecret", $"needs an artifact in a bucket store (uri s3:// or gs://); the uri is \"{variant.Artifact.Uri}\""));
        }
    }

    // A Deployment and its budget are named MODEL-VARIANT-POOL, so variant "a-b" in pool "c" and variant "a" in pool
    // "b-c" want one object and each apply would take it from the other. Names across models can collide too, but no
    // rule on one object can see another: the reconciler reports those (NameConflict).
    private static void CheckDeploymentNames(IReadOnlyList<VariantSpec> variants, List<FieldError> errors)
    {
        var first = new Dictionary<string, (string Variant, string Pool)>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            for (var k = 0; k < variants[i].NodePools.Count; k++)
            {
                var (variant, pool) = (variants[i].Name, variants[i].NodePools[k]);
                var suffix = $"{variant}-{pool}";
                if (!first.TryAdd(suffix, (variant, pool)) && first[suffix].Variant != variant)
                {
                    errors.Add(new($"spec.variants[{i}].nodePools[{k}]",
                        $"variant {variant} in pool {pool} and variant {first[suffix].Variant} in pool {first[suffix].Pool} would both name their Deployment <model>-{suffix}; rename one of the variants"));
                }
            }
        }
    }

    private static void CheckMinTotalReplicas(RecModelSpec spec, List<FieldError> errors)
    {
        if (spec.Variants.Count == 0)
        {
            // "at least 1 item" on spec.variants already says what to fix; a sum over nothing adds only noise.
            return;
        }

        var most = spec.Variants.Sum(v => (long)v.Replicas.Max);
        if (spec.Autoscaling.MinTotalReplicas > most)
        {
            errors.Add(new("spec.autoscaling.minTotalReplicas", $"{spec.Autoscaling.MinTotalReplicas} is more than the variants allow in total (sum of replicas.max is {most})"));
        }
    }

    private static void CheckInputs(InputsSpec? inputs, List<FieldError> errors)
    {
        if (inputs is null)
        {
            return;
        }

        var candidate = new HashSet<string>(inputs.Candidate, StringComparer.Ordinal);
        for (var i = 0; i < inputs.User.Count; i++)
        {
            if (candidate.Contains(inputs.User[i]))
            {
                errors.Add(new($"spec.inputs.user[{i}]", $"input \"{inputs.User[i]}\" is listed as both user-side and candidate-side"));
            }
        }
    }
}
