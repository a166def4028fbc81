using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Records events.k8s.io/v1 Events about the operator's objects. A repeat of the same (object, type, reason, note)
/// is not a new Event: the existing one's series count goes up, as client-go's event recorder does. The Event's name
/// is derived from that identity, so a restarted operator finds and counts on the same Event instead of duplicating it.
/// </summary>
public sealed class EventRecorder(KubeApiClient client, string reportingInstance, TimeProvider? timeProvider = null)
{
    public const string ReportingController = "serving.recoperator.io/operator";
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    // The API server rejects notes over 1 KiB.
    private const int MaxNoteLength = 1024;

    // Series counts remembered in memory; past this many the memory is dropped and the next repeat of an old
    // identity finds its Event by name (AlreadyExists) and counts on from 2, which is close enough for a counter.
    private const int MaxRemembered = 4096;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public async Task RecordAsync(IKubernetesObject regarding, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var metadata = regarding.Metadata ?? throw new ArgumentException("the object has no metadata", nameof(regarding));
        note = note.Length > MaxNoteLength ? note[..(MaxNoteLength - 3)] + "..." : note;
        var name = $"{metadata.Name}.{Digest($"{metadata.Uid}/{type}/{reason}/{note}")}";
        if (_counts.Count > MaxRemembered)
        {
            _counts.Clear();
        }

        var events = client.For<EventsV1Event>();
        var now = _time.GetUtcNow();
        if (_counts.TryGetValue(name, out var seen) && await TryCountAsync(events, name, metadata.Namespace, seen + 1, now, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var created = new EventsV1Event
        {
            Metadata = new V1ObjectMeta { Name = name, Namespace = metadata.Namespace ?? "default" },
            EventTime = now,
            Type = type,
            Reason = reason,
            Action = action,
            Note = note,
            ReportingController = ReportingController,
            ReportingInstance = reportingInstance,
            Regarding = new V1ObjectReference
            {
                ApiVersion = regarding.ApiVersion, Kind = regarding.Kind, Name = metadata.Name, Namespace = metadata.Namespace, Uid = metadata.Uid,
            },
        };
        try
        {
            await events.CreateAsync(created, created.Metadata.Namespace, cancellationToken).ConfigureAwait(false);
            _counts[name] = 1;
        }
        catch (KubeAlreadyExistsException)
        {
            // Recorded by an earlier run of the operator: count on it.
            _counts[name] = 1;
            await TryCountAsync(events, name, created.Metadata.Namespace, 2, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryCountAsync(ResourceClient<EventsV1Event> events, string name, string? ns, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["series"] = new JsonObject { ["count"] = count, ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) },
        };
        try
        {
            await events.PatchAsync(name, KubePatch.Merge(patch), ns, cancellationToken).ConfigureAwait(false);
            _counts[name] = count;
            return true;
        }
        catch (KubeNotFoundException)
        {
            // Events expire (an hour by default); the next occurrence starts a new one.
            _counts.TryRemove(name, out _);
            return false;
        }
    }

    private static string Digest(string identity) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)), 0, 8).ToLowerInvariant();
}
