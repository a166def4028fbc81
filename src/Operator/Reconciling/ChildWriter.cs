using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Writes a model's children with server-side apply under the operator's field manager and deletes the ones it no
/// longer wants. Apply sends only the fields the operator sets, so a label or annotation another manager adds is
/// left alone; force takes back the fields the operator owns if someone else changed them.
/// </summary>
public sealed class ChildWriter(KubeApiClient client)
{
    public const string FieldManager = "recoperator";

    /// <summary>
    /// Applies a typed object, unless <paramref name="existing"/> (read from the API server just before) already holds
    /// it (<see cref="AppliedIntent"/>); returns what the server stored and whether the apply changed it.
    /// </summary>
    public async Task<(T Applied, ChildChange Change)> ApplyAsync<T>(T desired, T? existing, CancellationToken cancellationToken)
        where T : class, IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(desired);
        var metadata = desired.Metadata ?? throw new ArgumentException("the object has no metadata", nameof(desired));
        var intent = AppliedIntent.Stamp(JsonSerializer.SerializeToNode(desired, client.TypeInfo<T>())!.AsObject());
        if (existing is not null && AppliedIntent.IsHeldBy(intent, JsonSerializer.SerializeToNode(existing, client.TypeInfo<T>()) as JsonObject))
        {
            return (existing, ChildChange.Unchanged);
        }

        var applied = await client.For<T>().PatchAsync(metadata.Name!, KubePatch.Apply(intent, FieldManager, force: true), metadata.Namespace, cancellationToken).ConfigureAwait(false);
        return (applied, ChangeOf(existing?.Metadata?.ResourceVersion, applied.Metadata?.ResourceVersion));
    }

    /// <summary>Applies a plain object (a kind outside the generated types, such as HTTPRoute), unless <paramref name="existing"/> holds it.</summary>
    public async Task<ChildChange> ApplyAsync(ResourceDescriptor descriptor, JsonObject desired, JsonObject? existing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var name = (string?)desired["metadata"]?["name"] ?? throw new ArgumentException("the object has no metadata.name", nameof(desired));
        var ns = (string?)desired["metadata"]?["namespace"];
        var intent = AppliedIntent.Stamp(desired);
        if (AppliedIntent.IsHeldBy(intent, existing))
        {
            return ChildChange.Unchanged;
        }

        var applied = await client.Unstructured(descriptor).PatchAsync(name, KubePatch.Apply(intent, FieldManager, force: true), ns, cancellationToken).ConfigureAwait(false);
        return ChangeOf((string?)existing?["metadata"]?["resourceVersion"], (string?)applied["metadata"]?["resourceVersion"]);
    }

    /// <summary>Deletes the object unless it was replaced meanwhile (the uid precondition); gone already is fine.</summary>
    public async Task<bool> DeleteAsync<T>(ResourceClient<T> resources, string name, string ns, string uid, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(resources);
        try
        {
            var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid }, PropagationPolicy = "Background" };
            await resources.DeleteAsync(name, ns, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeNotFoundException)
        {
            return false;
        }
    }

    private static ChildChange ChangeOf(string? before, string? after) =>
        before is null ? ChildChange.Created : before == after ? ChildChange.Unchanged : ChildChange.Updated;
}
