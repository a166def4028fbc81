using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Decides whether an apply would change anything, so the reconciler can leave a child alone instead of sending the
/// same server-side apply on every reconcile (a model's status changes and its Deployments' rollouts each reconcile it
/// again, and every reconcile applied every child). An apply is skipped only when both hold for the live object:
/// - it carries the hash of this very intent in <see cref="HashAnnotation"/>, so an intent that dropped a field (which
///   apply would remove) differs even though what is left is still there;
/// - every field of the intent is there with the same value, so a field another writer changed is taken back.
/// Anything the check cannot tell (a value the server rewrote in another form, a list another writer grew) makes it
/// apply, which is what it did before; skipping is never less correct than applying, only cheaper.
/// </summary>
public static class AppliedIntent
{
    public const string HashAnnotation = "serving.recoperator.io/applied-hash";

    /// <summary>The intent with the hash of its own content (keys sorted, the hash annotation left out) stamped on it.</summary>
    public static JsonObject Stamp(JsonObject intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var stamped = (JsonObject)intent.DeepClone();
        var metadata = stamped["metadata"] as JsonObject ?? throw new ArgumentException("the intent has no metadata", nameof(intent));
        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        annotations.Remove(HashAnnotation);
        annotations[HashAnnotation] = HashOf(stamped);
        return stamped;
    }

    /// <summary>Whether <paramref name="live"/> already holds the stamped intent, so applying it would change nothing.</summary>
    public static bool IsHeldBy(JsonObject stampedIntent, JsonObject? live)
    {
        ArgumentNullException.ThrowIfNull(stampedIntent);
        return live is not null
            && HashIn(live) is { } liveHash
            && liveHash == HashIn(stampedIntent)
            && Holds(live, stampedIntent);
    }

    private static string? HashIn(JsonObject obj) => (obj["metadata"]?["annotations"]?[HashAnnotation] as JsonValue)?.TryGetValue<string>(out var hash) == true ? hash : null;

    /// <summary>Every field of <paramref name="wanted"/> is in <paramref name="live"/>; lists must match item by item.</summary>
    internal static bool Holds(JsonNode? live, JsonNode? wanted) => (live, wanted) switch
    {
        (_, null) => live is null,
        (JsonObject l, JsonObject w) => w.All(p => l.TryGetPropertyValue(p.Key, out var value) && Holds(value, p.Value)),
        (JsonArray l, JsonArray w) => l.Count == w.Count && l.Zip(w).All(pair => Holds(pair.First, pair.Second)),
        (JsonValue, JsonValue) => JsonNode.DeepEquals(live, wanted),
        _ => false,
    };

    private static string HashOf(JsonObject intent)
    {
        var withoutHash = (JsonObject)intent.DeepClone();
        (withoutHash["metadata"]?["annotations"] as JsonObject)?.Remove(HashAnnotation);
        var canonical = Encoding.UTF8.GetBytes(Sorted(withoutHash)!.ToJsonString());
        return Convert.ToHexStringLower(SHA256.HashData(canonical))[..32];
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
