using System.Globalization;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// Writes the autoscaler's decisions as events.k8s.io/v1 Events regarding the RecModel, so `kubectl describe` and
/// `kubectl get events` show why replicas changed. Best effort: a failed write is the caller's to log, never fatal.
/// </summary>
public sealed class ScaleEventRecorder(ResourceClient<EventsV1Event> events, string reportingInstance, TimeProvider time)
{
    public const string ReportingController = "serving.recoperator.io/autoscaler";

    // The API limits notes to 1 kB; the reasons can be longer when many placements move at once.
    private const int MaxNoteLength = 1000;
    private long _sequence;

    public async Task RecordAsync(RecModel model, string type, string reason, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = model.Metadata ?? throw new ArgumentException("the RecModel has no metadata", nameof(model));
        var now = time.GetUtcNow();
        // Unique per event, sortable by time, like the names client-go's recorder picks.
        var suffix = ((now.UtcTicks * 16) + (Interlocked.Increment(ref _sequence) % 16)).ToString("x", CultureInfo.InvariantCulture);
        var created = new EventsV1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{metadata.Name}.{suffix}", Namespace = metadata.Namespace },
            EventTime = now,
            Type = type,
            Reason = reason,
            Action = "Scale",
            Note = note.Length <= MaxNoteLength ? note : note[..(MaxNoteLength - 3)] + "...",
            ReportingController = ReportingController,
            ReportingInstance = reportingInstance,
            Regarding = new V1ObjectReference
            {
                ApiVersion = model.ApiVersion, Kind = model.Kind, Name = metadata.Name, Namespace = metadata.Namespace,
                Uid = metadata.Uid, ResourceVersion = metadata.ResourceVersion,
            },
        };
        await events.CreateAsync(created, metadata.Namespace, cancellationToken).ConfigureAwait(false);
    }
}
