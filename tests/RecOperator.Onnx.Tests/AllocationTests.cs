namespace RecOperator.Onnx.Tests;

public sealed class AllocationTests
{
    [Fact]
    public void Run_SteadyStateOverPinnedBuffers_AllocatesNoManagedMemory()
    {
        using var session = OrtEngine.Create().Load(TestModels.Bytes(TestModels.DenseAndIds()));
        using var dense = TensorBuffer.AllocatePinned<float>(16, 4);
        using var ids = TensorBuffer.AllocatePinned<long>(16);
        using var score = TensorBuffer.AllocatePinned<float>(16, 1);
        NamedTensor[] inputs = [new("dense", dense), new("ids", ids)];
        NamedTensor[] outputs = [new("score", score)];
        using var cancel = new CancellationTokenSource();
        for (var i = 0; i < 10; i++)
        {
            session.Run(inputs, outputs, cancel.Token); // warm up pools and cached native values
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            session.Run(inputs, outputs);
            session.Run(inputs, outputs, cancel.Token);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }
}
