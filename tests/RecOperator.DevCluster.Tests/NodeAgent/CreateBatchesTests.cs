using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>slowStartBatch: 1, 2, 4 ... pods at a time, and nothing after the first batch that fails.</summary>
public sealed class CreateBatchesTests
{
    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 1 })]
    [InlineData(3, new[] { 1, 2 })]
    [InlineData(10, new[] { 1, 2, 4, 3 })]
    [InlineData(16, new[] { 1, 2, 4, 8, 1 })]
    public void Sizes_Count_DoublesFromOne(int count, int[] expected) =>
        CreateBatches.Sizes(count).Should().Equal(expected);

    [Fact]
    public void Sizes_MoreThanBurstReplicas_CreatesAtMostBurstReplicasInAPass() =>
        CreateBatches.Sizes(2000).Sum().Should().Be(CreateBatches.BurstReplicas);

    [Fact]
    public async Task RunAsync_EveryCreateRefused_StopsAfterTheFirstRequest()
    {
        var calls = 0;

        var (created, failure) = await CreateBatches.RunAsync(10, _ => { Interlocked.Increment(ref calls); throw Refused(); }, CancellationToken.None);

        (calls, created).Should().Be((1, 0));
        failure.Should().BeOfType<KubeApiException>();
    }

    [Fact]
    public async Task RunAsync_ThirdCreateRefused_FinishesItsBatchAndStartsNoOther()
    {
        var calls = 0;

        var (created, failure) = await CreateBatches.RunAsync(10, _ => Interlocked.Increment(ref calls) == 3 ? throw Refused() : Task.CompletedTask, CancellationToken.None);

        (calls, created).Should().Be((3, 2), "batches 1 and 2 ran; the batch of 4 never started");
        failure.Should().NotBeNull();
    }

    [Fact]
    public async Task RunAsync_AllSucceed_CreatesEveryPod()
    {
        var calls = 0;

        var (created, failure) = await CreateBatches.RunAsync(7, _ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, CancellationToken.None);

        (calls, created, failure).Should().Be((7, 7, (Exception?)null));
    }

    private static KubeApiException Refused() =>
        new(System.Net.HttpStatusCode.Forbidden, new V1Status { Reason = "Forbidden", Message = "no" });
}
