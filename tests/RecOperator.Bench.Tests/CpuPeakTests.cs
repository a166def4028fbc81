using RecOperator.Bench.Anchors;

namespace RecOperator.Bench.Tests;

public sealed class CpuPeakTests
{
    private const string Avx512Vnni = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\ncpu MHz\t\t: 2000.000\nflags\t\t: fpu sse avx2 fma avx512f avx512_vnni\n";

    [Fact]
    public void FromCpuInfo_Avx512WithVnni_SixtyFourFlopsAndFourTimesAsManyInt8OpsPerCycle()
    {
        var peak = CpuPeak.FromCpuInfo(Avx512Vnni);

        peak.Model.Should().Be("Intel(R) Xeon(R) Platinum 8480+");
        peak.Isa.Should().Be("AVX-512 VNNI");
        peak.Fp32FlopsPerCycle.Should().Be(64, "16 lanes x multiply and add x 2 FMA ports");
        peak.Int8OpsPerCycle.Should().Be(256);
        peak.Fp32GflopsPerCore.Should().BeApproximately(128, 1e-9);
        peak.Int8GopsPerCore.Should().BeApproximately(512, 1e-9);
    }

    [Fact]
    public void FromCpuInfo_Avx2WithoutVnni_HalfTheLanesAndNoInt8DotProducts()
    {
        var peak = CpuPeak.FromCpuInfo("model name\t: AMD EPYC\ncpu MHz\t\t: 3000.0\nflags\t\t: sse avx avx2 fma\n");

        (peak.Isa, peak.Fp32FlopsPerCycle, peak.Int8OpsPerCycle).Should().Be(("AVX2+FMA", 32.0, 64.0));
        peak.Fp32GflopsPerCore.Should().BeApproximately(96, 1e-9);
    }

    [Fact]
    public void FromCpuInfo_NoClock_ZeroPeakRatherThanAGuess() =>
        CpuPeak.FromCpuInfo("flags\t: avx2 fma\n").Fp32GflopsPerCore.Should().Be(0);
}
