using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// `kubectl get events` as kube-apiserver's printer writes it (printEvent), for core and events.k8s.io Events alike
/// (the latter are printed from their core form, as the real server converts them): no leading Name column; LAST SEEN
/// (the series' last observation, else lastTimestamp, else the first sighting), TYPE, REASON, OBJECT as `kind/name`,
/// MESSAGE; and with `-o wide` SUBOBJECT (the field path), SOURCE (`component, host`), FIRST SEEN, COUNT and NAME.
/// Pure.
/// </summary>
public static class EventPrinter
{
    private const string Unknown = "<unknown>";

    /// <param name="asCore">The stored object in its core/v1 form (identity for core Events).</param>
    public static IReadOnlyList<PrinterColumn> Columns(Func<JsonObject, JsonObject> asCore)
    {
        // A row's cells are computed column by column from the same object: it is converted and read once per row.
        var typed = new ConditionalWeakTable<JsonObject, CoreV1Event>();
        PrinterColumn Column(string name, int priority, Func<CoreV1Event, DateTimeOffset, object?> cell) =>
            new(name, "string", null) { Priority = priority, Compute = (obj, now) => cell(typed.GetValue(obj, o => Typed(asCore(o))), now) };
        return
        [
            Column("Last Seen", 0, LastSeen),
            Column("Type", 0, (e, _) => e.Type),
            Column("Reason", 0, (e, _) => e.Reason),
            Column("Object", 0, (e, _) => Target(e.InvolvedObject)),
            Column("Subobject", 1, (e, _) => e.InvolvedObject.FieldPath),
            Column("Source", 1, (e, _) => Source(e)),
            Column("Message", 0, (e, _) => e.Message?.Trim()),
            Column("First Seen", 1, FirstSeen),
            Column("Count", 1, (e, _) => e.Series?.Count ?? (e.Count is null or 0 ? 1 : e.Count)),
            Column("Name", 1, (e, _) => e.Metadata.Name),
        ];
    }

    public static string FirstSeen(CoreV1Event e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Since(e.FirstTimestamp ?? e.EventTime, now);
    }

    public static string LastSeen(CoreV1Event e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Series is { } series ? Since(series.LastObservedTime, now)
            : e.LastTimestamp is { } last ? Since(last, now)
            : FirstSeen(e, now);
    }

    /// <summary>`kind/name` with the kind in lower case, or the kind alone for an Event about no named object.</summary>
    public static string Target(V1ObjectReference involved)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var kind = (involved.Kind ?? "").ToLowerInvariant();
        return string.IsNullOrEmpty(involved.Name) ? kind : $"{kind}/{involved.Name}";
    }

    /// <summary>The source component (else the reporting controller), then `, host` (else the reporting instance) when there is one.</summary>
    public static string Source(CoreV1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var component = FirstNonEmpty(e.Source?.Component, e.ReportingComponent);
        var instance = FirstNonEmpty(e.Source?.Host, e.ReportingInstance);
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string Since(DateTimeOffset? at, DateTimeOffset now) => at is { } t ? Api.TableConverter.HumanDuration(now - t) : Unknown;

    private static string FirstNonEmpty(string? first, string? second) => !string.IsNullOrEmpty(first) ? first : second ?? "";

    private static CoreV1Event Typed(JsonObject core) => core.Deserialize(KubeJsonContext.Default.CoreV1Event)!;
}
