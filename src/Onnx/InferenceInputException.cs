namespace RecOperator.Onnx;

/// <summary>A run's inputs or outputs do not fit the model: the message names the tensor, what was expected and what came.</summary>
public sealed class InferenceInputException : ArgumentException
{
    public InferenceInputException()
    {
    }

    public InferenceInputException(string message) : base(message)
    {
    }

    public InferenceInputException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public InferenceInputException(string tensorName, string expected, string actual, string message)
        : base(message)
    {
        TensorName = tensorName;
        Expected = expected;
        Actual = actual;
    }

    public string TensorName { get; } = "";

    public string Expected { get; } = "";

    public string Actual { get; } = "";
}
