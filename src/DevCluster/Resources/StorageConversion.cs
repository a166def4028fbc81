using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// A served version whose objects live in another resource's storage, in that resource's shape, the way the real
/// server serves one storage through two API groups: events.k8s.io/v1 Events are core/v1 Events, converted on the way
/// in and out, so a write through either endpoint is the same object (name, uid, resourceVersion) through the other
/// and each endpoint's watch sees both.
/// </summary>
/// <param name="StorageKey">The storage the objects live in (the other resource's <see cref="ResourceType.StorageKey"/>).</param>
/// <param name="ToStorage">The stored form of an object as this version serves it; pure.</param>
/// <param name="FromStorage">The served form of a stored object; pure.</param>
public sealed record StorageConversion(string StorageKey, Func<JsonObject, JsonObject> ToStorage, Func<JsonObject, JsonObject> FromStorage);
