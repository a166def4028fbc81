using RecOperator.Kube.Models;

namespace RecOperator.Kube.Events;

/// <summary>
/// One thing a component saw happen to an object, before it becomes (or counts on) an Event. The object is kept as a
/// reference taken when it happened, so a queued occurrence holds no live object and names the object as it was.
/// </summary>
/// <param name="FieldPath">The part of the object it is about, as the kubelet names a container: `spec.containers{NAME}`.</param>
/// <param name="ReportingInstance">Overrides the recorder's instance (the kubelet's node, when one agent runs several).</param>
public sealed record EventOccurrence(
    V1ObjectReference Regarding, string Type, string Reason, string Action, string Note, string? ReportingInstance = null)
{
    /// <summary>An occurrence about <paramref name="regarding"/> as it is now.</summary>
    public static EventOccurrence About(IKubernetesObject regarding, string type, string reason, string action, string note, string? fieldPath = null, string? reportingInstance = null)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        return new EventOccurrence(Reference(regarding, regarding.ApiVersion, regarding.Kind, fieldPath), type, reason, action, note, reportingInstance);
    }

    /// <summary>
    /// As <see cref="About"/>, for a typed object whose apiVersion and kind may be unset (items of a list carry none):
    /// the type's own are used then, as kubectl describe finds an Event by the kind it regards.
    /// </summary>
    public static EventOccurrence AboutTyped<T>(T regarding, string type, string reason, string action, string note, string? fieldPath = null, string? reportingInstance = null)
        where T : IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var reference = Reference(regarding, regarding.ApiVersion ?? T.Descriptor.ApiVersion, regarding.Kind ?? T.Descriptor.Kind, fieldPath);
        return new EventOccurrence(reference, type, reason, action, note, reportingInstance);
    }

    private static V1ObjectReference Reference(IKubernetesObject regarding, string? apiVersion, string? kind, string? fieldPath)
    {
        var metadata = regarding.Metadata ?? throw new ArgumentException("the object has no metadata", nameof(regarding));
        return new V1ObjectReference
        {
            ApiVersion = apiVersion, Kind = kind, Name = metadata.Name, Namespace = metadata.Namespace, Uid = metadata.Uid, FieldPath = fieldPath,
        };
    }

    /// <summary>The field path the kubelet gives an Event about one container of a pod.</summary>
    public static string ContainerFieldPath(string container) => $"spec.containers{{{container}}}";
}
