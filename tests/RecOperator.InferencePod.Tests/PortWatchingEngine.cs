using System.Net;
using System.Net.Sockets;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An engine whose sessions count their runs and, at each run, note whether a TCP port on 127.0.0.1 already accepts
/// connections: tells warm-up runs (before the pod listens) from request runs (after).
/// </summary>
internal sealed class PortWatchingEngine(IInferenceEngine inner, int watchedPort) : WrappedEngine(inner)
{
    private int _runs;
    private int _runsWithPortOpen;

    public int Runs => Volatile.Read(ref _runs);

    public int RunsWithPortOpen => Volatile.Read(ref _runsWithPortOpen);

    protected override void BeforeRun(IReadOnlyList<NamedTensor> inputs)
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
}
