namespace RecOperator.Onnx.Tests;

public sealed class CancellationTests
{
    [Fact]
    public void Run_CancelledMidRun_ThrowsAndSessionStaysUsable()
    {
        const int width = 512;
        using var session = OrtEngine.Create().Load(TestModels.Bytes(TestModels.Slow(layers: 600, width)),
            new InferenceSessionOptions { IntraOpThreads = 1 });
        using var x = TensorBuffer.AllocatePinned<float>(256, width);
        using var y = TensorBuffer.AllocatePinned<float>(256, width);
        x.Span.Fill(1f);
        using var cancel = new CancellationTokenSource();
        // A dedicated thread, not a timer: timer callbacks wait for a free pool thread, which a busy test run may not have.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            cancel.Cancel();
        });
        canceller.Start();

        var act = () => session.Run([new("x", x)], [new("y", y)], cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        canceller.Join();
        // The pooled run options must come back with the terminate flag cleared.
        x.SetShape([1, width]);
        y.SetShape([1, width]);
        session.Run([new("x", x)], [new("y", y)], CancellationToken.None);
        y.Span[0].Should().BeApproximately(1f, 1e-3f);
    }

    [Fact]
    public void Run_AlreadyCancelled_ThrowsBeforeRunning()
    {
        using var session = OrtEngine.Create().Load(TestModels.Bytes(TestModels.DenseAndIds()));
        var act = () => session.Run([
            new("dense", TensorBuffer.Over(new float[4], 1, 4)),
            new("ids", TensorBuffer.Over(new long[1], 1))], new CancellationToken(canceled: true));
        act.Should().Throw<OperationCanceledException>();
    }
}
