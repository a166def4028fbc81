using System.Net;
using System.Net.Sockets;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An engine whose sessions count their runs and, at each run, note whether a TCP port on 127.0.0.1 already accepts
/// connections: tells warm-up runs (before the pod listens) from request runs (after).
/// </summary>
internal sealed class PortWatchingEngine(IInferenceEngine inner, int watchedPort) : IInferenceEngine
{
    private int _runs;
    private int _runsWithPortOpen;

    public int Runs => Volatile.Read(ref _runs);

    public int RunsWithPortOpen => Volatile.Read(ref _runsWithPortOpen);

    public string Description => inner.Description;

    public IInferenceSession Load(string modelPath, InferenceSessionOptions? options = null) => new Session(inner.Load(modelPath, options), this);

    public IInferenceSession Load(ReadOnlySpan<byte> model, InferenceSessionOptions? options = null) => new Session(inner.Load(model, options), this);

    private void Record()
    {
        Interlocked.Increment(ref _runs);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Connect(IPAddress.Loopback, watchedPort);
            Interlocked.Increment(ref _runsWithPortOpen);
        }
        catch (SocketException)
        {
            // Refused: nothing listens on the port yet.
        }
    }

    private sealed class Session(IInferenceSession inner, PortWatchingEngine engine) : IInferenceSession
    {
        public IReadOnlyList<TensorMetadata> Inputs => inner.Inputs;

        public IReadOnlyList<TensorMetadata> Outputs => inner.Outputs;

        public void Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
        {
            engine.Record();
            inner.Run(inputs, outputs, cancellationToken);
        }

        public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default)
        {
            engine.Record();
            return inner.Run(inputs, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
