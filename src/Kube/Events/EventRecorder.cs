using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Events;

/// <summary>
/// Records events.k8s.io/v1 Events for one reporting controller (the operator, or one of DevCluster's scheduler,
/// kubelet and controllers). A repeat of the same (object, type, reason, note) is not a new Event: the existing one's
/// series count goes up, as client-go's event recorder does. The Event's name is derived from that identity, so a
/// restarted component finds and counts on the same Event instead of duplicating it. Awaited: a caller that must not
/// wait on the API server posts to an <see cref="EventQueue"/> instead.
/// </summary>
/// <param name="reportingController">The Event's reportingController (core: source.component), e.g. `default-scheduler`.</param>
/// <param name="reportingInstance">Which instance of it; an occurrence may name its own (the kubelet's node).</param>
public sealed class EventRecorder(KubeApiClient client, string reportingController, string reportingInstance, TimeProvider? timeProvider = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    // The API server rejects notes over 1 KiB.
    private const int MaxNoteLength = 1024;

    // Series counts remembered in memory; past this many the memory is dropped and the next repeat of an old
    // identity finds its Event by name (AlreadyExists) and counts on from 2, which is close enough for a counter.
    private const int MaxRemembered = 4096;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public string ReportingController => reportingController;

    public Task RecordAsync(IKubernetesObject regarding, string type, string reason, string action, string note, CancellationToken cancellationToken) =>
        RecordAsync(EventOccurrence.About(regarding, type, reason, action, note), cancellationToken);

    public async Task RecordAsync(EventOccurrence occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var (regarding, type, reason) = (occurrence.Regarding, occurrence.Type, occurrence.Reason);
        var note = occurrence.Note.Length > MaxNoteLength ? occurrence.Note[..(MaxNoteLength - 3)] + "..." : occurrence.Note;
        var instance = occurrence.ReportingInstance ?? reportingInstance;
        // The field path is part of the identity: two containers' identical notes are two Events, as on a real kubelet.
        var name = $"{regarding.Name}.{Digest($"{regarding.Uid}/{type}/{reason}/{note}{regarding.FieldPath}")}";
        if (_counts.Count > MaxRemembered)
        {
            _counts.Clear();
        }

        var events = client.For<EventsV1Event>();
        var now = _time.GetUtcNow();
        if (_counts.TryGetValue(name, out var seen) && await TryCountAsync(events, name, regarding.Namespace, seen + 1, now, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var created = new EventsV1Event
        {
            Metadata = new V1ObjectMeta { Name = name, Namespace = regarding.Namespace ?? "default" },
            EventTime = now,
            Type = type,
            Reason = reason,
            Action = occurrence.Action,
            Note = note,
            ReportingController = reportingController,
            ReportingInstance = instance,
            Regarding = regarding,
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
