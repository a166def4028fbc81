namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform and runtime version, so a
/// reference model built from a seed is the same bytes everywhere (System.Random makes no such promise).
/// </summary>
public sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 24 bits of precision (exact in float).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [-limit, limit).</summary>
    public float NextSymmetric(float limit) => (NextFloat() * 2f - 1f) * limit;

    /// <summary>Uniform integer in [0, exclusiveMax).</summary>
    public long NextInt64(long exclusiveMax) => (long)(NextUInt64() % (ulong)exclusiveMax);

    public float[] Symmetric(int count, float limit)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = NextSymmetric(limit);
        }
        return values;
    }
}
