using System.Buffers;
using System.Runtime.InteropServices;
using RecOperator.Onnx.Native;

namespace RecOperator.Onnx;

/// <summary>
/// An ONNX Runtime session. Runs read inputs from and write outputs into pinned caller memory; names are kept as
/// native strings from load time, native values are cached per buffer, run options come from a pool, and the pointer
/// arrays live on the stack, so a steady-state run over the same buffers allocates nothing.
/// </summary>
public sealed unsafe class OrtSession : IInferenceSession
{
    private readonly OrtEnvironment _environment;
    private readonly OrtSessionHandle _session;
    private readonly TensorMetadata[] _inputs;
    private readonly TensorMetadata[] _outputs;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    private readonly nint[] _inputNames;
    private readonly nint[] _outputNames;
    private readonly RunOptionsPool _runOptions;
    private bool _disposed;

    internal OrtSession(OrtEnvironment environment, OrtSessionHandle session)
    {
        _environment = environment;
        _session = session;
        var raw = session.DangerousGetHandle();
        _inputs = OrtSessionMetadata.Read(environment.Api, raw, inputs: true);
        _outputs = OrtSessionMetadata.Read(environment.Api, raw, inputs: false);
        _inputIndex = IndexByName(_inputs);
        _outputIndex = IndexByName(_outputs);
        _inputNames = [.. _inputs.Select(m => Marshal.StringToCoTaskMemUTF8(m.Name))];
        _outputNames = [.. _outputs.Select(m => Marshal.StringToCoTaskMemUTF8(m.Name))];
        _runOptions = new RunOptionsPool(environment.Api);
    }

    public IReadOnlyList<TensorMetadata> Inputs => _inputs;

    public IReadOnlyList<TensorMetadata> Outputs => _outputs;

    public void Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TensorValidator.Validate("input", _inputs, _inputIndex, inputs, requireAll: true);
        TensorValidator.Validate("output", _outputs, _outputIndex, outputs, requireAll: false);
        if (outputs.Count == 0)
        {
            throw new InferenceInputException("", "at least one output", "none", "a run needs at least one output buffer");
        }
        cancellationToken.ThrowIfCancellationRequested();
        var outputValues = stackalloc nint[outputs.Count];
        var outputNames = stackalloc nint[outputs.Count];
        RunCore(inputs, outputs, outputs.Count, outputNames, outputValues, cancellationToken);
    }

    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TensorValidator.Validate("input", _inputs, _inputIndex, inputs, requireAll: true);
        cancellationToken.ThrowIfCancellationRequested();
        var count = _outputs.Length;
        var outputValues = stackalloc nint[count];
        var outputNames = stackalloc nint[count];
        for (var i = 0; i < count; i++)
        {
            outputValues[i] = 0;
            outputNames[i] = _outputNames[i];
        }
        var api = _environment.Api;
        try
        {
            RunCore(inputs, [], count, outputNames, outputValues, cancellationToken);
            var results = new NamedTensor[count];
            for (var i = 0; i < count; i++)
            {
                results[i] = new NamedTensor(_outputs[i].Name, CopyOut(api, outputValues[i]));
            }
            return results;
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                if (outputValues[i] != 0)
                {
                    api.Release(OrtApiIndex.ReleaseValue, outputValues[i]);
                }
            }
        }
    }

    private void RunCore(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, int outputCount,
        nint* outputNames, nint* outputValues, CancellationToken cancellationToken)
    {
        var api = _environment.Api;
        var memory = _environment.CpuMemory.DangerousGetHandle();
        var inputNames = stackalloc nint[Math.Max(inputs.Count, 1)];
        var inputValues = stackalloc nint[Math.Max(inputs.Count, 1)];
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(inputs.Count + outputs.Count);
        var pinned = 0;
        var runOptions = _runOptions.Rent();
        CancellationTokenRegistration registration = default;
        try
        {
            for (var i = 0; i < inputs.Count; i++, pinned++)
            {
                inputNames[i] = _inputNames[_inputIndex[inputs[i].Name]];
                pins[pinned] = inputs[i].Tensor.Pin();
                inputValues[i] = ValueOver(api, memory, inputs[i].Tensor, pins[pinned].Pointer);
            }
            for (var i = 0; i < outputs.Count; i++, pinned++)
            {
                outputNames[i] = _outputNames[_outputIndex[outputs[i].Name]];
                pins[pinned] = outputs[i].Tensor.Pin();
                outputValues[i] = ValueOver(api, memory, outputs[i].Tensor, pins[pinned].Pointer);
            }
            if (cancellationToken.CanBeCanceled)
            {
                registration = cancellationToken.UnsafeRegister(static state => ((RunOptionsPool.Lease)state!).Terminate(), runOptions);
            }
            var status = api.Run(_session.DangerousGetHandle(), runOptions.Handle, inputNames, inputValues, inputs.Count,
                outputNames, outputCount, outputValues);
            if (status != 0 && cancellationToken.IsCancellationRequested)
            {
                api.Release(OrtApiIndex.ReleaseStatus, status);
                throw new OperationCanceledException("the run was cancelled", cancellationToken);
            }
            api.Check(status, "run failed");
        }
        finally
        {
            registration.Dispose();
            _runOptions.Return(runOptions);
            for (var i = 0; i < pinned; i++)
            {
                pins[i].Dispose();
            }
            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
        }
    }

    private static nint ValueOver(OrtApi api, nint memory, TensorBuffer tensor, void* address) =>
        tensor.ValueCache.GetOrCreate(api, memory, address, tensor.ByteLength, tensor.ShapeArray, tensor.ElementType);

    private static TensorBuffer CopyOut(OrtApi api, nint value)
    {
        var info = api.TypeAndShapeOf(value);
        try
        {
            var buffer = TensorBuffer.Allocate((TensorElementType)api.ElementType(info), api.Dimensions(info));
            new ReadOnlySpan<byte>((void*)api.TensorData(value), checked((int)buffer.ByteLength)).CopyTo(buffer.Bytes());
            return buffer;
        }
        finally
        {
            api.Release(OrtApiIndex.ReleaseTensorTypeAndShapeInfo, info);
        }
    }

    private static Dictionary<string, int> IndexByName(TensorMetadata[] tensors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tensors.Length; i++)
        {
            index[tensors[i].Name] = i;
        }
        return index;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
        foreach (var name in _inputNames.Concat(_outputNames))
        {
            Marshal.FreeCoTaskMem(name);
        }
    }
}
