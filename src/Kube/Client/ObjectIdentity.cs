using System.Text.Json.Nodes;

namespace RecOperator.Kube.Client;

/// <summary>The parts of an object's metadata the client needs to address it.</summary>
public readonly record struct ObjectIdentity(string? Name, string? Namespace, string? ResourceVersion)
{
    public static ObjectIdentity Of(IKubernetesObject obj) =>
        new(obj.Metadata?.Name, obj.Metadata?.Namespace, obj.Metadata?.ResourceVersion);

    /// <summary>The same for an unstructured object, read from its <c>metadata</c> member.</summary>
    public static ObjectIdentity Of(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        return new(Text(metadata, "name"), Text(metadata, "namespace"), Text(metadata, "resourceVersion"));
    }

    /// <summary><c>namespace/name</c>, or just the name for cluster-scoped objects: the cache and queue key.</summary>
    public string Key => string.IsNullOrEmpty(Namespace) ? Name ?? "" : $"{Namespace}/{Name}";

    private static string? Text(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
