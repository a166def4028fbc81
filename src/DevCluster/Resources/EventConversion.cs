using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// core/v1 Event &lt;-&gt; events.k8s.io/v1 Event, as the real server converts them (k8s.io/kubernetes
/// pkg/apis/events/v1): the two are one object under two names. Seven fields are renamed (regarding is
/// involvedObject, note is message, reportingController is reportingComponent, deprecatedSource is source and the
/// deprecated first/last timestamps and count are the core ones); every other field (metadata, eventTime, series,
/// related, action, reason, type, reportingInstance) has the same name and shape in both and is carried unchanged.
/// Pure; lossless both ways except that the core form always has an involvedObject.
/// </summary>
public static class EventConversion
{
    /// <summary>
    /// (events.k8s.io name, core name) of the renamed fields, read from the generated types: a field renamed in the
    /// OpenAPI document breaks the build here instead of silently dropping a field in one version.
    /// </summary>
    private static readonly IReadOnlyList<(string EventsV1, string Core)> Renamed =
    [
        (JsonName<EventsV1Event>(nameof(EventsV1Event.Regarding)), JsonName<CoreV1Event>(nameof(CoreV1Event.InvolvedObject))),
        (JsonName<EventsV1Event>(nameof(EventsV1Event.Note)), JsonName<CoreV1Event>(nameof(CoreV1Event.Message))),
        (JsonName<EventsV1Event>(nameof(EventsV1Event.ReportingController)), JsonName<CoreV1Event>(nameof(CoreV1Event.ReportingComponent))),
        (JsonName<EventsV1Event>(nameof(EventsV1Event.DeprecatedSource)), JsonName<CoreV1Event>(nameof(CoreV1Event.Source))),
        (JsonName<EventsV1Event>(nameof(EventsV1Event.DeprecatedFirstTimestamp)), JsonName<CoreV1Event>(nameof(CoreV1Event.FirstTimestamp))),
        (JsonName<EventsV1Event>(nameof(EventsV1Event.DeprecatedLastTimestamp)), JsonName<CoreV1Event>(nameof(CoreV1Event.LastTimestamp))),
        (JsonName<EventsV1Event>(nameof(EventsV1Event.DeprecatedCount)), JsonName<CoreV1Event>(nameof(CoreV1Event.Count))),
    ];

    private static readonly Dictionary<string, string> ToCoreNames = Renamed.ToDictionary(r => r.EventsV1, r => r.Core, StringComparer.Ordinal);
    private static readonly Dictionary<string, string> ToEventsV1Names = Renamed.ToDictionary(r => r.Core, r => r.EventsV1, StringComparer.Ordinal);
    private static readonly string InvolvedObject = JsonName<CoreV1Event>(nameof(CoreV1Event.InvolvedObject));

    /// <summary>The core/v1 form of an events.k8s.io/v1 Event (a new object; the argument is left as it was).</summary>
    public static JsonObject ToCore(JsonObject eventsV1)
    {
        ArgumentNullException.ThrowIfNull(eventsV1);
        var core = Rename(eventsV1, ToCoreNames, CoreV1Event.Descriptor);
        // involvedObject is a required struct of the Go type, so the real server writes `{}` for an Event that regards
        // nothing, and typed readers (CoreV1Event) require it.
        core[InvolvedObject] ??= new JsonObject();
        return core;
    }

    /// <summary>The events.k8s.io/v1 form of a core/v1 Event (a new object; the argument is left as it was).</summary>
    public static JsonObject ToEventsV1(JsonObject core)
    {
        ArgumentNullException.ThrowIfNull(core);
        return Rename(core, ToEventsV1Names, EventsV1Event.Descriptor);
    }

    private static JsonObject Rename(JsonObject source, Dictionary<string, string> names, ResourceDescriptor target)
    {
        // Type metadata first, as the server writes it, so both forms serialize in the same order every time.
        var result = new JsonObject { ["apiVersion"] = target.ApiVersion, ["kind"] = target.Kind };
        foreach (var (name, value) in source)
        {
            if (name is "apiVersion" or "kind")
            {
                continue;
            }
            result[names.GetValueOrDefault(name, name)] = value?.DeepClone();
        }
        return result;
    }

    private static string JsonName<T>(string property) =>
        typeof(T).GetProperty(property)?.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{property} has no JSON name");
}
