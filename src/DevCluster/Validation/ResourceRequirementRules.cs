using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The real server's rules for a container's resources: each name is a qualified name that is a standard container
/// resource (cpu, memory, ephemeral-storage, hugepages-*) or an extended one (`example.com/gpu`); quantities are not
/// negative, and extended ones whole; a request is at most its limit, and an extended resource (which cannot be
/// overcommitted) has a limit its request equals. A pod the scheduler and node could only misread is refused. Pure.
/// </summary>
public static class ResourceRequirementRules
{
    private static readonly HashSet<string> ContainerResources = new(["cpu", "memory", "ephemeral-storage"], StringComparer.Ordinal);

    /// <summary>Standard names that are not a container's (quota and object counts): "a standard resource", but not for containers.</summary>
    private static readonly HashSet<string> OtherStandardResources = new(
        ["pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "storage",
         "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"],
        StringComparer.Ordinal);

    public static void Validate(JsonObject? resources, string path, List<FieldError> errors)
    {
        var limits = Quantities(JsonTree.Get(resources, "limits") as JsonObject, $"{path}.limits", errors);
        var requests = Quantities(JsonTree.Get(resources, "requests") as JsonObject, $"{path}.requests", errors);
        foreach (var (name, request) in requests)
        {
            if (limits.TryGetValue(name, out var limit))
            {
                if (!CanOvercommit(name) && request != limit)
                {
                    errors.Add(FieldError.Invalid($"{path}.requests", $"\"{request}\"", $"must be equal to {name} limit of {limit}"));
                }
                else if (request > limit)
                {
                    errors.Add(FieldError.Invalid($"{path}.requests", $"\"{request}\"", $"must be less than or equal to {name} limit of {limit}"));
                }
            }
            else if (!CanOvercommit(name))
            {
                errors.Add(FieldError.Required($"{path}.limits", "Limit must be set for non overcommitable resources"));
            }
        }
    }

    /// <summary>The list's valid entries by name; each bad name or quantity is reported at `path[name]`.</summary>
    private static Dictionary<string, ResourceQuantity> Quantities(JsonObject? list, string path, List<FieldError> errors)
    {
        var result = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        foreach (var (name, node) in list ?? [])
        {
            var at = $"{path}[{name}]";
            if (NameProblem(name) is { } problem)
            {
                errors.Add(FieldError.Invalid(at, $"\"{name}\"", problem));
                continue;
            }
            // An unparsable quantity was refused by the typed decode before these rules run.
            if (!ResourceQuantity.TryParse(JsonTree.ScalarText(node), out var quantity))
            {
                continue;
            }
            if (quantity.Value < 0)
            {
                errors.Add(FieldError.Invalid(at, $"\"{quantity}\"", "must be greater than or equal to 0"));
            }
            else if (IsExtended(name) && decimal.Truncate(quantity.Value) != quantity.Value)
            {
                errors.Add(FieldError.Invalid(at, $"\"{quantity}\"", "must be an integer"));
            }
            result[name] = quantity;
        }
        return result;
    }

    /// <summary>What is wrong with a container resource's name, in the order the real server checks, or null.</summary>
    private static string? NameProblem(string name)
    {
        if (NameRules.QualifiedNameProblem(name) is { } problem)
        {
            return problem;
        }
        if (!name.Contains('/', StringComparison.Ordinal))
        {
            var forContainers = ContainerResources.Contains(name) || name.StartsWith("hugepages-", StringComparison.Ordinal);
            return forContainers ? null
                : OtherStandardResources.Contains(name) ? "must be a standard resource for containers"
                : "must be a standard resource type or fully qualified";
        }
        return IsNative(name) || IsExtended(name) ? null : "doesn't follow extended resource name standard";
    }

    /// <summary>Unprefixed names and those under kubernetes.io are the system's own.</summary>
    private static bool IsNative(string name) => !name.Contains('/', StringComparison.Ordinal) || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    /// <summary>A vendor's device (`nvidia.com/gpu`): prefixed, not native, and a valid quota name once `requests.` is put before it.</summary>
    private static bool IsExtended(string name) =>
        !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal) && NameRules.QualifiedNameProblem("requests." + name) is null;

    /// <summary>Native resources other than huge pages may be requested below their limit; devices may not.</summary>
    private static bool CanOvercommit(string name) => IsNative(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal);
}
