namespace RecOperator.Kube;

/// <summary>An object type that knows where the API server serves it, so typed calls need no descriptor argument.</summary>
public interface IKubernetesResource : IKubernetesObject
{
    static abstract ResourceDescriptor Descriptor { get; }
}
