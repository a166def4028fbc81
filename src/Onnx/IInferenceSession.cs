namespace RecOperator.Onnx;

/// <summary>
/// A loaded model ready to run: the seam between the project and the engine binding, so another binding (for example
/// Microsoft.ML.OnnxRuntime) can replace the project's own without touching callers.
/// </summary>
public interface IInferenceSession : IDisposable
{
    IReadOnlyList<TensorMetadata> Inputs { get; }

    IReadOnlyList<TensorMetadata> Outputs { get; }

    /// <summary>
    /// Runs the model over caller memory: every input is read in place and every named output is written into the
    /// caller's pre-allocated buffer (its shape must be known). Outputs not named are not computed.
    /// </summary>
    void Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default);

    /// <summary>Runs the model and returns every output in new buffers; for outputs whose shape is only known after the run.</summary>
    IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default);
}
