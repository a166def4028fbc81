using RecOperator.Kube;

namespace RecOperator.Operator.Runtime;

/// <summary>What a reconciler is asked about: the namespace (empty for cluster-scoped) and name of one object.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject obj) => new(obj.Metadata?.Namespace ?? "", obj.Metadata?.Name ?? "");

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
