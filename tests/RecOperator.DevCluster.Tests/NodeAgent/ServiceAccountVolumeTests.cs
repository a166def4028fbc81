using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// A pod's service-account volume against the default HTTPS control plane: the files written let the project's own
/// in-cluster config connect (the CA verifies the server, the token authenticates), as an operator pod does.
/// </summary>
public sealed class ServiceAccountVolumeTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("devcluster-sa-").FullName;
    private DevClusterServer _server = null!;
    private KubeApiClient _agent = null!;

    private string PodDirectory => Path.Combine(_dataDirectory, "pod-logs", "team-a", "op-1");

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _dataDirectory }, CancellationToken.None);
        _agent = new KubeApiClient(KubeConfigLoader.Load(_server.KubeconfigPath!));
        await _agent.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
    }

    public async Task DisposeAsync()
    {
        _agent.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task MountAsync_PodWithExistingServiceAccount_WritesFilesTheInClusterConfigConnectsWithAsTheAccount()
    {
        await CreateAccountAsync("operator", automount: null);
        var pod = await CreatePodAsync("operator");

        var mount = await ServiceAccountVolume.MountAsync(_agent, pod, PodDirectory, CancellationToken.None);

        mount.Should().NotBeNull();
        mount!.Folder.Should().Be(Path.Combine(PodDirectory, "serviceaccount"));
        (await File.ReadAllTextAsync(Path.Combine(mount.Folder, "namespace"))).Should().Be("team-a");
        (await File.ReadAllTextAsync(Path.Combine(mount.Folder, "token"))).Should().NotBe(_server.Token, "the pod gets its own account's token, not the admin's");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(mount.Folder, "token")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        mount.Env.Should().Contain("KUBERNETES_SERVICE_HOST", "127.0.0.1")
            .And.Contain("KUBERNETES_SERVICE_PORT", _server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .And.Contain(InClusterConfig.FolderVariable, mount.Folder);
        // What the operator's process does with that environment: HTTPS verified by ca.crt alone, the token accepted as
        // the pod's ServiceAccount, which may do what its RBAC grants and nothing else.
        var config = InClusterConfig.Load(environment: name => mount.Env.GetValueOrDefault(name));
        config.Namespace.Should().Be("team-a");
        config.InsecureSkipTlsVerify.Should().BeFalse();
        using var client = new KubeApiClient(config);
        var forbidden = () => client.For<V1ServiceAccount>().GetAsync("operator");
        (await forbidden.Should().ThrowAsync<KubeForbiddenException>()).Which.Message.Should().Contain(
            "serviceaccounts \"operator\" is forbidden: User \"system:serviceaccount:team-a:operator\" cannot get resource \"serviceaccounts\" in API group \"\" in the namespace \"team-a\"");
        await _agent.For<V1Role>().CreateAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "self-reader", Namespace = "team-a" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["serviceaccounts"], ResourceNames = ["operator"], Verbs = ["get"] }],
        });
        await _agent.For<V1RoleBinding>().CreateAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "self-reader", Namespace = "team-a" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "self-reader" },
            Subjects = [new V1Subject { Kind = "ServiceAccount", Name = "operator" }],
        });
        var account = await client.For<V1ServiceAccount>().GetAsync("operator");
        account.Metadata!.Name.Should().Be("operator");
    }

    [Fact]
    public async Task MountAsync_PodDeletedAfterwards_ItsTokenNoLongerAuthenticates()
    {
        await CreateAccountAsync("worker", automount: null);
        var pod = await CreatePodAsync("worker");
        var mount = await ServiceAccountVolume.MountAsync(_agent, pod, PodDirectory, CancellationToken.None);
        using var client = new KubeApiClient(InClusterConfig.Load(environment: name => mount!.Env.GetValueOrDefault(name)));

        var read = () => client.For<V1Namespace>().GetAsync("team-a");

        await read.Should().ThrowAsync<KubeForbiddenException>("while the pod exists the token authenticates; its account has no role");
        await _agent.For<V1Pod>().DeleteAsync("op-1", "team-a");
        await read.Should().ThrowAsync<KubeUnauthorizedException>("the token is bound to the pod");
    }

    [Fact]
    public async Task MountAsync_ServiceAccountMissing_ThrowsNotFoundSoTheKubeletRetries()
    {
        var act = () => ServiceAccountVolume.MountAsync(_agent, Pod("absent") with { Metadata = new V1ObjectMeta { Name = "op-1", Namespace = "team-a", Uid = "u" } }, PodDirectory, CancellationToken.None);

        await act.Should().ThrowAsync<KubeNotFoundException>();
        Directory.Exists(Path.Combine(PodDirectory, "serviceaccount")).Should().BeFalse();
    }

    [Fact]
    public async Task MountAsync_ServiceAccountTurnsAutomountOff_MountsNothing()
    {
        await CreateAccountAsync("quiet", automount: false);

        var mount = await ServiceAccountVolume.MountAsync(_agent, Pod("quiet"), PodDirectory, CancellationToken.None);

        mount.Should().BeNull();
    }

    [Fact]
    public async Task MountAsync_PlainHttpServer_MountsNothingSoThePodStillRuns()
    {
        await using var insecure = await DevClusterServer.StartAsync(new DevClusterOptions { Secure = false }, CancellationToken.None);
        using var client = new KubeApiClient(KubeClientConfig.ForServer(insecure.BaseAddress));

        var mount = await ServiceAccountVolume.MountAsync(client, Pod("default") with { Metadata = new V1ObjectMeta { Name = "op-1", Namespace = "default" } }, PodDirectory, CancellationToken.None);

        mount.Should().BeNull("every admitted pod names an account, and a plain-HTTP server offers in-cluster config nothing to connect with");
        Directory.Exists(Path.Combine(PodDirectory, "serviceaccount")).Should().BeFalse();
    }

    [Theory]
    [InlineData("operator", null, null, true)]
    [InlineData("operator", null, false, false)]
    [InlineData("operator", true, false, true)]
    [InlineData("operator", false, true, false)]
    [InlineData(null, true, true, false)]
    public void Automounts_PodAndAccountSettings_PodWinsThenAccountThenTrue(string? account, bool? podSays, bool? accountSays, bool expected)
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [], ServiceAccountName = account, AutomountServiceAccountToken = podSays } };

        ServiceAccountVolume.Automounts(pod, new V1ServiceAccount { AutomountServiceAccountToken = accountSays }).Should().Be(expected);
    }

    private Task<V1ServiceAccount> CreateAccountAsync(string name, bool? automount) =>
        _agent.For<V1ServiceAccount>().CreateAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name, Namespace = "team-a" }, AutomountServiceAccountToken = automount });

    /// <summary>The pod the token is bound to must exist, as for the kubelet.</summary>
    private Task<V1Pod> CreatePodAsync(string account) => _agent.For<V1Pod>().CreateAsync(Pod(account) with
    {
        Spec = new V1PodSpec { ServiceAccountName = account, Containers = [new V1Container { Name = "main", Image = "registry.local/op:1" }] },
    });

    private static V1Pod Pod(string account) => new()
    {
        Metadata = new V1ObjectMeta { Name = "op-1", Namespace = "team-a" },
        Spec = new V1PodSpec { Containers = [], ServiceAccountName = account },
    };
}
