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
    public async Task<(InferResponse Response, int Candidates)> InferAsync(string modelName, InferRequest request, TimeSpan? deadline, CancellationToken cancellationToken)
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
            outputs = await batcher.InferAsync(prepared, timeout, cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InferException(InferStatus.DeadlineExceeded, $"no answer within the request's deadline of {timeout.TotalMilliseconds:F0} ms");
        }
        var selected = request.RequestedOutputs.Count == 0
            ? outputs
            : request.RequestedOutputs.Select(name => outputs.First(o => o.Name == name)).ToArray();
        return (new InferResponse(model.Name, ModelVersion, request.Id, selected), prepared.Candidates);
    }

    /// <summary>Measures one request: inflight while it runs, then its code, latency and candidates.</summary>
    public RequestMeasurement Measure() => new(metrics, Stopwatch.GetTimestamp());
}
