namespace RecOperator.Operator.Desired;

/// <summary>
/// Names of the objects a RecModel owns. Model names are at most 22 characters and variant names at most 40
/// (enforced by validation), so a variant Service name fits the 63-character DNS label limit.
/// </summary>
public static class ChildNames
{
    public static string Deployment(string model, string variant, string pool) => $"{model}-{variant}-{pool}";

    public static string VariantService(string model, string variant) => $"{model}-{variant}";

    public static string ModelService(string model) => model;

    public static string PodDisruptionBudget(string model, string variant, string pool) => Deployment(model, variant, pool);

    public static string RoutingConfigMap(string model) => $"{model}-routing";

    /// <summary>The GAMMA routes (HTTPRoute and GRPCRoute, different kinds) are named after the model Service they split.</summary>
    public static string Route(string model) => ModelService(model);
}
