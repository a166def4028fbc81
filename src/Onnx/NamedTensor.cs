namespace RecOperator.Onnx;

/// <summary>A tensor bound to a model input or output name.</summary>
public readonly record struct NamedTensor(string Name, TensorBuffer Tensor);
