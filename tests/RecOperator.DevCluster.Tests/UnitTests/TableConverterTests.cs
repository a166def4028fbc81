using RecOperator.DevCluster.Api;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The age format of `kubectl get`, which the server computes for date columns.</summary>
public sealed class TableConverterTests
{
    [Theory]
    [InlineData(45, "45s")]
    [InlineData(310, "5m10s")]
    [InlineData(3900, "65m")]
    [InlineData(4 * 3600 + 600, "4h10m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(3 * 86400 + 5 * 3600, "3d5h")]
    [InlineData(12 * 86400, "12d")]
    [InlineData(800 * 86400, "2y")]
    public void HumanDuration_Seconds_FormatsLikeKubectl(int seconds, string expected) =>
        TableConverter.HumanDuration(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
