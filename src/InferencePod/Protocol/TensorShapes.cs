namespace RecOperator.InferencePod.Protocol;

/// <summary>Shape arithmetic that refuses overflow and absurd sizes before anything is allocated.</summary>
public static class TensorShapes
{
    /// <summary>Elements of <paramref name="shape"/>, or an InvalidArgument error naming the tensor when it is negative or above the limit.</summary>
    /// <param name="bound">What bounds the count, for the message: "holds more elements than {bound}".</param>
    public static long CheckedElementCount(string tensor, ReadOnlySpan<long> shape, long maxElements, string bound)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw InferException.Invalid($"input '{tensor}': shape [{string.Join(", ", shape.ToArray())}] has a negative dimension");
            }
            if (dim != 0 && count > maxElements / dim)
            {
                throw InferException.Invalid($"input '{tensor}': shape [{string.Join(", ", shape.ToArray())}] holds more elements than {bound}");
            }
            count *= dim;
        }
        return count;
    }
}
