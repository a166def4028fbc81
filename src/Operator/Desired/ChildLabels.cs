namespace RecOperator.Operator.Desired;

/// <summary>The labels of owned objects: the recommended app.kubernetes.io set plus model, variant and pool.</summary>
public static class ChildLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Model = "serving.recoperator.io/model";
    public const string Variant = "serving.recoperator.io/variant";
    public const string Pool = "serving.recoperator.io/pool";

    public const string AppName = "recpod";
    public const string Manager = "recoperator";

    /// <summary>Labels of everything owned by a model; variant and pool are added where the object has them.</summary>
    public static Dictionary<string, string> For(string model, string? variant = null, string? pool = null)
    {
        var labels = new Dictionary<string, string>
        {
            [Name] = AppName,
            [Instance] = model,
            [Component] = "inference",
            [ManagedBy] = Manager,
            [Model] = model,
        };
        if (variant is not null)
        {
            labels[Variant] = variant;
        }

        if (pool is not null)
        {
            labels[Pool] = pool;
        }

        return labels;
    }

    /// <summary>The selector of pods: only the immutable identity (model, variant, pool), never version labels.</summary>
    public static Dictionary<string, string> Selector(string model, string? variant = null, string? pool = null)
    {
        var selector = new Dictionary<string, string> { [Model] = model };
        if (variant is not null)
        {
            selector[Variant] = variant;
        }

        if (pool is not null)
        {
            selector[Pool] = pool;
        }

        return selector;
    }
}
