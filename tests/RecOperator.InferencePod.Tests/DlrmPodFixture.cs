using RecOperator.InferencePod.Server;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>One dlrm-small pod (batching on) shared by the protocol, batching and malformed-request tests.</summary>
public sealed class DlrmPodFixture : IAsyncLifetime
{
    /// <summary>The pod's request size limit: small, so the size tests send little.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    public PodServer Pod { get; private set; } = null!;

    public HttpClient Rest { get; private set; } = null!;

    internal BuiltModel Model { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await TestModels.DlrmAsync();
        Pod = await TestPods.StartAsync(TestPods.Options(Model.Path) with { MaxBatchSize = 64, MaxQueueDelayMicros = 3000, MaxMessageBytes = MaxMessageBytes });
        Rest = TestPods.RestClient(Pod);
    }

    public async Task DisposeAsync()
    {
        Rest.Dispose();
        await Pod.DisposeAsync();
    }
}
