using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>An input's shape and data against what the model declares: each refusal says what is wrong with it.</summary>
public sealed class RequestShapeCheckTests
{
    // A sequence input: rows of a variable number of ids.
    private static readonly TensorMetadata Sequence = new("ids", TensorElementType.Int64, [-1, -1], ["batch", "length"]);
    private static readonly TensorMetadata Dense = new("dense", TensorElementType.Float, [-1, 13], ["batch", null]);

    [Fact]
    public void Check_EmptySequenceWithNoData_Accepted()
    {
        var check = () => RequestPreparer.Check(Sequence, new InferTensor("ids", TensorElementType.Int64, [1, 0], ReadOnlyMemory<byte>.Empty));

        check.Should().NotThrow("a dimension of 0 holds no element, so no data is the right amount");
    }

    [Fact]
    public void Check_EmptySequenceWithData_SaysHowManyBytesItNeeds()
    {
        var check = () => RequestPreparer.Check(Sequence, new InferTensor("ids", TensorElementType.Int64, [1, 0], new byte[8]));

        check.Should().Throw<InferException>().WithMessage("input 'ids': shape [1, 0] needs 0 elements (0 bytes), the data has 8 bytes");
    }

    [Fact]
    public void Check_NoRows_SaysARequestHoldsAtLeastOne()
    {
        var check = () => RequestPreparer.Check(Dense, new InferTensor("dense", TensorElementType.Float, [0, 13], ReadOnlyMemory<byte>.Empty));

        check.Should().Throw<InferException>().WithMessage("input 'dense': shape [0, 13] has no rows; a request holds at least one");
    }
}
