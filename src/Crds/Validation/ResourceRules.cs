using RecOperator.Crds.Models;

namespace RecOperator.Crds.Validation;

/// <summary>
/// The cross-field rules of the resources: what one field cannot say alone. The API server enforces the same
/// rules through the CEL expressions on the types (<c>CelRule</c> attributes); these run wherever the operator or the
/// CLI sees a resource, so an API server without CEL cannot let an invalid spec through. Unique variant names are a
/// list-map key in the schema, checked by <see cref="StructuralSchemaValidator"/>.
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

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < variant.NodePools.Count; p++)
        {
            if (!seen.Add(variant.NodePools[p]))
            {
                errors.Add(new($"{path}.nodePools[{p}]", $"pool \"{variant.NodePools[p]}\" is listed twice"));
            }
        }
    }

    private static void CheckMinTotalReplicas(RecModelSpec spec, List<FieldError> errors)
    {
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
