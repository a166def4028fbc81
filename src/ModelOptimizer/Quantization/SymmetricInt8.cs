using RecOperator.ModelOptimizer.Graph;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// Symmetric int8 quantization (zero point 0, range -127..127): q = round(w / s), s = max|w| / 127 per channel. The
/// value -128 is never used so that the range is symmetric and int8 × uint8 products cannot saturate VNNI's int16 sums.
/// </summary>
internal static class SymmetricInt8
{
    /// <summary>One scale per column of [K, N] (per output channel of a MatMul weight).</summary>
    public static (sbyte[] Values, float[] Scales) PerColumn(WeightMatrix w)
    {
        var scales = new float[w.Columns];
        for (var c = 0; c < w.Columns; c++)
        {
            var max = 0f;
            for (var r = 0; r < w.Rows; r++)
            {
                max = MathF.Max(max, MathF.Abs(w[r, c]));
            }
            scales[c] = ScaleFor(max);
        }
        var values = new sbyte[w.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Quantize(w.Values[i], scales[i % w.Columns]);
        }
        return (values, scales);
    }

    /// <summary>One scale per row of [rows, dim] (per embedding row).</summary>
    public static (sbyte[] Values, float[] Scales) PerRow(WeightMatrix w)
    {
        var scales = new float[w.Rows];
        var values = new sbyte[w.Values.Length];
        for (var r = 0; r < w.Rows; r++)
        {
            var row = w.Values.AsSpan(r * w.Columns, w.Columns);
            var max = 0f;
            foreach (var v in row)
            {
                max = MathF.Max(max, MathF.Abs(v));
            }
            scales[r] = ScaleFor(max);
            for (var c = 0; c < row.Length; c++)
            {
                values[(r * w.Columns) + c] = Quantize(row[c], scales[r]);
            }
        }
        return (values, scales);
    }

    // An all-zero channel keeps scale 1 so dequantization never divides by or multiplies with zero scale.
    private static float ScaleFor(float maxAbs) => maxAbs > 0 ? maxAbs / 127f : 1f;

    private static sbyte Quantize(float value, float scale) => (sbyte)Math.Clamp(MathF.Round(value / scale), -127f, 127f);
}
