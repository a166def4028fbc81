using System.Diagnostics;
using RecOperator.InferencePod.Batching;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// The protocol-independent inference path shared by REST and gRPC: model routing, request checks, the batching
/// queue, output selection and the request metrics, so both protocols answer alike.
/// </summary>
public sealed class InferenceService(ServedModel model, DynamicBatcher batcher, PodMetrics metrics, PodState state, PodOptions options)
{
    public const string ModelVersion = "1";

    public ServedModel Model => model;

    public PodState State => state;

    public PodMetrics Metrics => metrics;

    public PodOptions Options => options;

    /// <summary>Whether <paramref name="name"/> is the served model (versions "" and "1" only).</summary>
    public bool Serves(string name, string? version = null) =>
        name == model.Name && (string.IsNullOrEmpty(version) || version == ModelVersion);

    /// <summary>Runs a parsed request; throws <see cref="InferException"/> for every answer that is not OK.</summary>
    /// <param name="inputs">
    /// What the request's tensors are slices of (its pooled body), or null. This method owns it from the call on and
    /// disposes it once the batcher no longer reads it: at once when the request is refused, when its answer came,
    /// or later when the caller stopped waiting (deadline, cancellation) while the request was still queued or running.
    /// </param>
    public async Task<(InferResponse Response, int Candidates)> InferAsync(string modelName, InferRequest request, TimeSpan? deadline,
        CancellationToken cancellationToken, IDisposable? inputs = null)
    {
        Task<InferTensor[]>? queued = null;
        try
        {
            if (!Serves(modelName))
            {
                throw new InferException(InferStatus.NotFound, $"model '{modelName}' is not served here; this pod serves '{model.Name}'");
            }
            // While draining, requests that still arrive are served: readiness is false so that they stop arriving.
            if (!state.AcceptsRequests)
            {
                throw new InferException(InferStatus.Unavailable, "the model is not ready yet");
            }
            var prepared = RequestPreparer.Prepare(model, request, options.MaxRowsPerRequest, cancellationToken);
            var timeout = deadline ?? TimeSpan.FromMilliseconds(options.RequestTimeoutMs);
            InferTensor[] outputs;
            try
            {
                queued = batcher.InferAsync(prepared, timeout, cancellationToken);
                outputs = await queued.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new InferException(InferStatus.DeadlineExceeded, $"no answer within the request's deadline of {timeout.TotalMilliseconds:F0} ms");
            }
            return (new InferResponse(model.Name, ModelVersion, request.Id, Select(outputs, request.RequestedOutputs)), prepared.Candidates);
        }
        finally
        {
            ReleaseWhenRead(inputs, queued);
        }
    }

    /// <summary>The requested outputs in the order asked for (Prepare checked that each exists); all when none were named.</summary>
    private static InferTensor[] Select(InferTensor[] outputs, IReadOnlyList<string> requested)
    {
        if (requested.Count == 0)
        {
            return outputs;
        }
        var selected = new InferTensor[requested.Count];
        for (var r = 0; r < selected.Length; r++)
        {
            foreach (var output in outputs)
            {
                if (output.Name == requested[r])
                {
                    selected[r] = output;
                    break;
                }
            }
        }
        return selected;
    }

    private static void ReleaseWhenRead(IDisposable? inputs, Task? queued)
    {
        if (inputs is null)
        {
            return;
        }
        if (queued is null || queued.IsCompleted)
        {
            inputs.Dispose();
            return;
        }
        queued.ContinueWith(static (_, state) => ((IDisposable)state!).Dispose(), inputs, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Measures one request: inflight while it runs, then its code, latency and candidates.</summary>
    public RequestMeasurement Measure() => new(metrics, Stopwatch.GetTimestamp());
}
