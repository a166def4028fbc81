namespace RecOperator.Onnx.Model;

/// <summary>A tensor dimension in a model's signature: a fixed size, or a symbolic name such as "batch".</summary>
public readonly record struct Dim(long Value, string? Param)
{
    public static implicit operator Dim(long value) => FromInt64(value);

    public static implicit operator Dim(string param) => FromString(param);

    public static Dim FromInt64(long value) => new(value, null);

    public static Dim FromString(string param) => new(-1, param);

    public override string ToString() => Param ?? Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
