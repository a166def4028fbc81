using RecOperator.Demo.Load;

namespace RecOperator.Demo.Tests;

public sealed class LoadProfileTests
{
    [Theory]
    [InlineData(0, "warm-up", 50)]
    [InlineData(19.9, "warm-up", 50)]
    [InlineData(25, "ramp", 62.5)]
    [InlineData(31, "step 4x", 200)]
    [InlineData(70, "drop", 50)]
    [InlineData(500, "drop", 50)]
    public void At_DemoProfile_FollowsWarmUpRampStepDrop(double seconds, string phase, double rps)
    {
        var profile = LoadProfile.Demo(TimeSpan.FromSeconds(100), 50);

        var (current, rate) = profile.At(TimeSpan.FromSeconds(seconds));

        current.Name.Should().Be(phase);
        rate.Should().BeApproximately(rps, 1e-9);
        profile.Duration.Should().Be(TimeSpan.FromSeconds(100));
        profile.StartOf("step 4x").Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Constructor_NegativeRate_IsRejectedNamingThePhase()
    {
        var act = () => new LoadProfile([new LoadPhase("burst", TimeSpan.FromSeconds(1), -1, 5)]);

        act.Should().Throw<ArgumentException>().WithMessage("phase 'burst'*");
    }
}
