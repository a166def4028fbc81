using System.Globalization;

namespace RecOperator.Bench.Anchors;

/// <summary>
/// One core's arithmetic peak from /proc/cpuinfo (pure, so testable on any text): fused multiply-adds per cycle of
/// the widest vector unit it advertises times the clock, assuming two FMA ports (most server cores). An upper bound:
/// turbo, throttling and the real port count move it.
/// </summary>
public sealed record CpuPeak(string Model, double Ghz, double Fp32FlopsPerCycle, double Int8OpsPerCycle, string Isa)
{
    public double Fp32GflopsPerCore => Ghz * Fp32FlopsPerCycle;

    public double Int8GopsPerCore => Ghz * Int8OpsPerCycle;

    public static CpuPeak FromCpuInfo(string cpuInfo)
    {
        ArgumentNullException.ThrowIfNull(cpuInfo);
        var lines = cpuInfo.Split('\n');
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "";
        var flags = Field("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var ghz = double.TryParse(Field("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz) ? mhz / 1000 : 0;
        // Lanes x 2 (multiply and add) x 2 ports; int8 dot products (VNNI) do 4 multiply-adds per 32-bit lane.
        var (lanes, isa) = flags.Contains("avx512f") ? (16, "AVX-512") : flags.Contains("avx2") && flags.Contains("fma") ? (8, "AVX2+FMA") : (4, "SSE");
        var vnni = flags.Contains("avx512_vnni") || flags.Contains("avx_vnni");
        var int8PerLane = vnni ? 4 : 2;
        return new CpuPeak(Field("model name"), ghz, lanes * 2 * 2, lanes * int8PerLane * 2 * 2, vnni ? isa + " VNNI" : isa);
    }
}
