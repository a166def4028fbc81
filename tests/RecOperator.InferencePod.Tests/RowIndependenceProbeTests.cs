using RecOperator.InferencePod.Model;
using RecOperator.Onnx;

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
