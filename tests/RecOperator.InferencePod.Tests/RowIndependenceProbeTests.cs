using RecOperator.InferencePod.Model;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.InferencePod.Tests;

public sealed class RowIndependenceProbeTests
{
    public static TheoryData<string, string?> Models => new()
    {
        { "softmax-over-rows", "output 'y' of row 0 is" },
        { "top1-rows", "output 'values' has shape [1, 1] for 3 input rows: its first dimension is not the row count" },
        { "softmax-within-rows", null },
        { "dlrm-small", null },
    };

    [Fact]
    public async Task FindRowMixing_DynamicInt8Model_MovesWithItsBatchButIsRowWiseWhereItsScaleIsTheSame()
    {
        var path = await TestModels.DlrmInt8DynamicAsync();
        using var session = OrtEngine.Create().Load(path, new InferenceSessionOptions { IntraOpThreads = 1 });
        var proto = OnnxModelFiles.Read(path, loadExternalData: false);

        // One activation scale per batch: distinct rows move a row's score by a few percent, which the tight bound reads as
        // mixing; the graph says so, and the probe then holds identical rows (one range) to the tight bound instead.
        proto.Graph.Node.Should().Contain(n => RowIndependenceProbe.BatchQuantizingOperators.Contains(n.OpType));
        RowIndependenceProbe.FindRowMixing(session, CancellationToken.None).Should().Contain("output 'score' of row");
        RowIndependenceProbe.FindRowMixing(session, CancellationToken.None, batchQuantized: true).Should().BeNull();
    }

    [Fact]
    public void FindRowMixing_SoftmaxOverRowsTakenForBatchQuantized_StillMixing()
    {
        using var session = OrtEngine.Create().Load(ListwiseModels.SoftmaxOverRows(), new InferenceSessionOptions { IntraOpThreads = 1 });

        RowIndependenceProbe.FindRowMixing(session, CancellationToken.None, batchQuantized: true).Should().Contain("output 'y' of row 0 is");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task FindRowMixing_Model_NamesTheOutputThatIsNotRowWise(string model, string? expected)
    {
        var path = model switch
        {
            "softmax-over-rows" => ListwiseModels.SoftmaxOverRows(),
            "top1-rows" => ListwiseModels.TopRows(1),
            "softmax-within-rows" => ListwiseModels.SoftmaxWithinRows(),
            _ => (await TestModels.DlrmAsync()).Path,
        };
        using var session = OrtEngine.Create().Load(path, new InferenceSessionOptions { IntraOpThreads = 1 });

        var mixing = RowIndependenceProbe.FindRowMixing(session, CancellationToken.None);

        if (expected is null)
        {
            mixing.Should().BeNull();
        }
        else
        {
            mixing.Should().Contain(expected);
        }
    }
}
