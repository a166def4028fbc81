using RecOperator.DevCluster.Networking;

namespace RecOperator.DevCluster.Tests.Networking;

public sealed class SmoothWeightedRoundRobinTests
{
    [Theory]
    [InlineData(new[] { 80, 20 })]
    [InlineData(new[] { 5, 1, 1 })]
    [InlineData(new[] { 1, 0, 3 })]
    [InlineData(new[] { 7 })]
    public void Next_OneFullCycle_PicksEachItemExactlyItsWeight(int[] weights)
    {
        var wrr = new SmoothWeightedRoundRobin(weights);

        var picks = Enumerable.Range(0, weights.Sum()).Select(_ => wrr.Next()).ToList();

        for (var i = 0; i < weights.Length; i++)
        {
            picks.Count(p => p == i).Should().Be(weights[i]);
        }
    }

    [Fact]
    public void Next_FiveOneOne_InterleavesInsteadOfBursting()
    {
        var wrr = new SmoothWeightedRoundRobin([5, 1, 1]);

        var picks = Enumerable.Range(0, 7).Select(_ => wrr.Next()).ToList();

        picks.Should().Equal(0, 0, 1, 0, 2, 0, 0);
    }

    [Fact]
    public void Next_AllWeightsZero_ReturnsMinusOne()
    {
        new SmoothWeightedRoundRobin([0, 0]).Next().Should().Be(-1);
    }

    [Fact]
    public void Constructor_NegativeWeight_Throws()
    {
        var create = () => new SmoothWeightedRoundRobin([1, -1]);

        create.Should().Throw<ArgumentException>().WithMessage("*negative*");
    }
}
