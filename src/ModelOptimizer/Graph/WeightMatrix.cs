using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Graph;

/// <summary>A float matrix read from an initializer, row-major [Rows, Columns].</summary>
internal sealed record WeightMatrix(int Rows, int Columns, float[] Values)
{
    public static WeightMatrix From(TensorProto tensor) =>
        new((int)tensor.Dims[0], (int)tensor.Dims[1], OnnxTensors.Read<float>(tensor));

    public float this[int row, int column] => Values[(row * Columns) + column];

    public WeightMatrix Transposed()
    {
        var values = new float[Values.Length];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                values[(c * Rows) + r] = Values[(r * Columns) + c];
            }
        }
        return new WeightMatrix(Columns, Rows, values);
    }
}
