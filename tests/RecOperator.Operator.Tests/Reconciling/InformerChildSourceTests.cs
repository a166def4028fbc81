using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The reconciler reading a model's children and the NodePools from informer caches, as the running operator does:
/// on the in-process DevCluster, with the informers run by the test.
/// </summary>
public sealed class InformerChildSourceTests : IAsyncLifetime
{
    private static readonly ObjectKey Sample = new("default", "ranking-ctr");
    private readonly OperatorCluster _cluster = new();
    private readonly RecordingHandler _recorder = new();
    private readonly CancellationTokenSource _stopInformers = new();
    private KubeApiClient _client = null!;
    private KubeApiClient _informerClient = null!;
    private SharedInformerFactory _informers = null!;
    private Task _informersRun = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        _client = _cluster.NewClient(_recorder);
        // The informers' own lists and watches are not the reconciler's requests: another client.
        _informerClient = _cluster.NewClient(new SocketsHttpHandler());
        _informers = new SharedInformerFactory(_informerClient, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _stopInformers.CancelAsync();
        await _informersRun;
        _stopInformers.Dispose();
        _client.Dispose();
        _informerClient.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Reconcile_SettledModelWithSyncedCaches_ReadsOnlyTheModelTheRoutingConfigMapAndThePods()
    {
        await _cluster.CreateSampleAsync();
        var (reconciler, deployments, services, budgets) = await StartAsync();
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        await Eventually.Until(() => deployments.Cache.Count == 1 && services.Cache.Count == 2 && budgets.Cache.Count == 1);
        _recorder.Requests.Clear();

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        _recorder.Requests.Should().OnlyContain(r => r.Method == "GET");
        _recorder.Requests.Select(r => r.Path).Should().BeEquivalentTo(
            ["/apis/serving.recoperator.io/v1alpha1/namespaces/default/recmodels/ranking-ctr", "/api/v1/namespaces/default/configmaps", "/api/v1/namespaces/default/pods"],
            "the Deployments, Services, budgets and NodePools come from the caches");
    }

    [Fact]
    public async Task Reconcile_CachesThatHaveNotSeenTheFirstReconcilesWrites_ReadsThoseChildrenByNameAndRecordsEachCreationOnce()
    {
        await _cluster.CreateSampleAsync();
        var (reconciler, _, _, _) = await StartAsync();
        // Synced while the model had no children, then frozen: every child the first reconcile creates stays unseen.
        await _stopInformers.CancelAsync();
        await _informersRun;

        await reconciler.ReconcileAsync(Sample, CancellationToken.None);
        _recorder.Requests.Clear();
        await reconciler.ReconcileAsync(Sample, CancellationToken.None);

        _recorder.Requests.Should().Contain(r => r.Method == "GET"
            && r.PathAndQuery == "/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3Dranking-ctr-cpu-int8-cpu-spot",
            "the cache does not show the Deployment, so it is looked up by name (another owner's object would have it)");
        _recorder.Requests.Should().NotContain(r => r.Method == "PATCH" && r.Path.EndsWith("/deployments/ranking-ctr-cpu-int8-cpu-spot", StringComparison.Ordinal),
            "what the lookup found already holds the intent");
        _recorder.Requests.Should().NotContain(r => r.Method == "POST" && r.Path.Contains("/events", StringComparison.Ordinal), "no second Created event");
        var notes = (await _cluster.User.For<EventsV1Event>().ListAsync("default")).Items.Select(e => e.Note).ToList();
        notes.Should().ContainSingle(n => n == "Created Deployment ranking-ctr-cpu-int8-cpu-spot");
        notes.Should().NotContain(n => n != null && n.StartsWith("Updated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChildrenAsync_InformerNotSyncedYet_ListsFromTheApiServer()
    {
        await _cluster.CreateSampleAsync();
        var deployments = _informers.For<V1Deployment>();
        var source = new InformerChildSource(new LiveChildSource(_client)).With(deployments);
        var model = await _cluster.User.For<RecModel>().GetAsync("ranking-ctr", "default");

        var children = await source.ChildrenAsync<V1Deployment>(model, CancellationToken.None);

        deployments.HasSynced.Should().BeFalse("the informer was never run");
        children.Should().BeEmpty();
        _recorder.Requests.Should().ContainSingle(r => r.Path == "/apis/apps/v1/namespaces/default/deployments");
    }

    private async Task<(RecModelReconciler, SharedInformer<V1Deployment>, SharedInformer<V1Service>, SharedInformer<V1PodDisruptionBudget>)> StartAsync()
    {
        var (deployments, services, budgets, pools) = (_informers.For<V1Deployment>(), _informers.For<V1Service>(), _informers.For<V1PodDisruptionBudget>(), _informers.For<NodePool>());
        var source = new InformerChildSource(new LiveChildSource(_client)).With(deployments).With(services).With(budgets).WithPools(pools);
        _informersRun = _informers.RunAsync(_stopInformers.Token);
        await Eventually.Until(() => _informers.Informers.All(i => i.HasSynced));
        var reconciler = new RecModelReconciler(_client, new FleetPlanBook(), OperatorImages.Default, new EventRecorder(_client, "test"), NullLogger.Instance, children: source);
        return (reconciler, deployments, services, budgets);
    }
}
