using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Images map to local commands as a container runtime would run them (contract 2).</summary>
public sealed class CommandResolverTests
{
    private static readonly NodeAgentConfig Config = DefaultNodeAgentConfig.For("/repo");
    private static readonly Dictionary<int, int> HostPorts = new() { [8080] = 40123, [8081] = 40124 };

    [Fact]
    public void Resolve_InferencePodContainerAsTheOperatorWritesIt_RunsRecopPodOnHostPortsWithItsCacheInAPodFolder()
    {
        var pod = Pod() with
        {
            Spec = new V1PodSpec { Containers = [], Volumes = [new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() }] },
        };
        var container = new V1Container
        {
            Name = "pod", Image = "ghcr.io/recoperator/recpod:0.3.1", Args = ["pod"],
            Env = [new V1EnvVar { Name = "RECPOD_HTTP_PORT", Value = "8080" }, new V1EnvVar { Name = "RECPOD_CACHE_DIR", Value = "/var/cache/recpod/models" }],
            VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = "/var/cache/recpod" }],
        };
        var podDirectory = Path.Combine(Path.GetTempPath(), "recop-volumes-" + Guid.NewGuid().ToString("N"));

        var (mounts, error) = PodVolumes.Map(pod, container, podDirectory);
        var resolved = CommandResolver.Resolve(pod, container, Config, HostPorts, mounts);

        error.Should().BeNull();
        resolved.Argv.Should().Equal("/repo/recop", "pod");
        resolved.Env.Should().Contain("RECPOD_HTTP_PORT", "40123", "the host port wins over the container's own port").And.Contain("RECPOD_GRPC_PORT", "40124");
        resolved.Env["RECPOD_CACHE_DIR"].Should().Be(Path.Combine(podDirectory, "volumes", "cache") + "/models");
        Directory.Exists(Path.Combine(podDirectory, "volumes", "cache")).Should().BeTrue();
        Directory.Delete(podDirectory, recursive: true);
    }

    [Fact]
    public void Map_PersistentVolumeClaim_IsAConfigErrorNamingTheVolume()
    {
        var pod = Pod() with
        {
            Spec = new V1PodSpec
            {
                Containers = [],
                Volumes = [new V1Volume { Name = "artifact", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "models" } }],
            },
        };
        var container = new V1Container { Name = "pod", VolumeMounts = [new V1VolumeMount { Name = "artifact", MountPath = "/models" }] };

        var (_, error) = PodVolumes.Map(pod, container, Path.GetTempPath());

        error.Should().Be("volume artifact: only emptyDir, configMap, secret and hostPath volumes run on the DevCluster node agent");
    }

    [Fact]
    public void Resolve_ContainerCommandWithVariableReferences_ReplacesTheImageCommandAndExpands()
    {
        var container = new V1Container
        {
            Name = "c", Image = "ghcr.io/recoperator/recpod", Command = ["/bin/echo"], Args = ["$(RECPOD_HTTP_PORT)", "$$(LITERAL)", "$(UNKNOWN)", "$(GREETING)"],
            Env = [new V1EnvVar { Name = "GREETING", Value = "hi on $(RECPOD_HTTP_PORT)" }, new V1EnvVar { Name = "ME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }],
        };

        var resolved = CommandResolver.Resolve(Pod(), container, Config, HostPorts);

        resolved.Argv.Should().Equal("/bin/echo", "40123", "$(LITERAL)", "$(UNKNOWN)", "hi on 40123");
        resolved.Env["ME"].Should().Be("p-1");
    }

    [Fact]
    public void Resolve_OperatorContainerOfTheManifests_RunsRecopOperatorOnTheHostHealthPort()
    {
        var container = new V1Container
        {
            Name = "operator", Image = "ghcr.io/recoperator/rec-operator:0.1.0",
            Args = ["operator", "--health-port=8081", "--leader-elect"],
        };

        var resolved = CommandResolver.Resolve(Pod(), container, Config, HostPorts);

        resolved.Argv.Should().Equal("/repo/recop", "operator", "--health-port=40124", "--leader-elect");
    }

    [Fact]
    public void Resolve_CheckoutUnderAMountedPath_TheLocalCommandStaysAndTheSpecsArgsAreRewritten()
    {
        // A checkout in /tmp and a pod that mounts an emptyDir at /tmp (the operator's Deployment does): the image's
        // local command is a host path, only the pod spec's words are the container's view.
        var config = DefaultNodeAgentConfig.For("/tmp/checkout");
        var container = new V1Container { Name = "operator", Image = "ghcr.io/recoperator/rec-operator:0.1.0", Args = ["operator", "/tmp/work"] };
        var mounts = new Dictionary<string, string> { ["/tmp"] = "/pods/p/volumes/tmp" };

        var resolved = CommandResolver.Resolve(Pod(), container, config, HostPorts, mounts);

        resolved.Argv.Should().Equal("/tmp/checkout/recop", "operator", "/pods/p/volumes/tmp/work", "--health-port=40124");
    }

    [Theory]
    [InlineData(new[] { "operator", "--health-port", "8081" }, new[] { "/repo/recop", "operator", "--health-port", "40124" })]
    [InlineData(new[] { "operator" }, new[] { "/repo/recop", "operator", "--health-port=40124" })]
    public void Resolve_HealthPortAsSeparateValueOrAbsent_CarriesTheHostPort(string[] args, string[] argv)
    {
        var container = new V1Container { Name = "operator", Image = "ghcr.io/recoperator/operator", Args = args };

        CommandResolver.Resolve(Pod(), container, Config, HostPorts).Argv.Should().Equal(argv);
    }

    [Fact]
    public void Resolve_KubeletVariables_ComeBeforeTheContainersOwnEnvWhichMayReferenceOrOverrideThem()
    {
        var podEnv = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "6443" };
        var container = new V1Container
        {
            Name = "c", Image = "ghcr.io/recoperator/operator",
            Env = [new V1EnvVar { Name = "API", Value = "https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)" }, new V1EnvVar { Name = "KUBERNETES_SERVICE_PORT", Value = "443" }],
        };

        var resolved = CommandResolver.Resolve(Pod(), container, Config, HostPorts, podEnv: podEnv);

        resolved.Env.Should().Contain("API", "https://127.0.0.1:6443").And.Contain("KUBERNETES_SERVICE_PORT", "443").And.Contain("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    }

    [Fact]
    public void Resolve_UnknownImageWithoutCommand_WaitsWithErrImagePull()
    {
        var resolved = CommandResolver.Resolve(Pod(), new V1Container { Name = "c", Image = "docker.io/library/nginx:1.27" }, Config, HostPorts);

        resolved.Runnable.Should().BeFalse();
        resolved.ErrorReason.Should().Be("ErrImagePull");
        resolved.ErrorMessage.Should().Contain("docker.io/library/nginx:1.27");
    }

    [Theory]
    [InlineData("ghcr.io/recoperator/recpod:1.0", "ghcr.io/recoperator/recpod")]
    [InlineData("localhost:5000/recpod", "localhost:5000/recpod")]
    [InlineData("ghcr.io/recoperator/recpod@sha256:abc", "ghcr.io/recoperator/recpod")]
    public void RepositoryOf_ImageReference_DropsTagAndDigestButNotRegistryPort(string image, string repository) =>
        NodeAgentConfig.RepositoryOf(image).Should().Be(repository);

    private static V1Pod Pod() => new() { Metadata = new V1ObjectMeta { Name = "p-1", Namespace = "default" }, Spec = new V1PodSpec { Containers = [] } };
}
