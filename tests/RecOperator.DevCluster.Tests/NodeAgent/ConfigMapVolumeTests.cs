using System.Text;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>What a configMap volume holds, as the kubelet projects it: keys or items, modes, and the errors of a missing ConfigMap or key.</summary>
public sealed class ConfigMapVolumeTests
{
    private const UnixFileMode ReadOnlyForAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly V1ConfigMap StoreCa = new()
    {
        Metadata = new V1ObjectMeta { Name = "store-ca", Namespace = "team-a" },
        Data = new Dictionary<string, string> { ["ca.crt"] = "-----BEGIN CERTIFICATE-----\n", ["note"] = "hi" },
        BinaryData = new Dictionary<string, byte[]> { ["blob"] = [0, 1, 2] },
    };

    [Fact]
    public void Project_NoItems_EveryDataAndBinaryKeyNamedAfterItselfWithMode0644()
    {
        var (files, error) = ConfigMapVolume.Project("ca", new V1ConfigMapVolumeSource { Name = "store-ca" }, StoreCa);

        error.Should().BeNull();
        files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Content.Span), f.Mode)).Should().Equal(
            ("blob", "\0\u0001\u0002", KeyedVolumes.DefaultMode),
            ("ca.crt", "-----BEGIN CERTIFICATE-----\n", KeyedVolumes.DefaultMode),
            ("note", "hi", KeyedVolumes.DefaultMode));
    }

    [Fact]
    public void Project_Items_OnlyTheListedKeysAtTheirPathsWithTheirModes()
    {
        var source = new V1ConfigMapVolumeSource
        {
            Name = "store-ca",
            DefaultMode = 292, // 0444
            Items = [new V1KeyToPath { Key = "ca.crt", Path = "certs/root.pem" }, new V1KeyToPath { Key = "note", Path = "note.txt", Mode = 384 }], // 0600
        };

        var (files, error) = ConfigMapVolume.Project("ca", source, StoreCa);

        error.Should().BeNull();
        files.Select(f => (f.Path, f.Mode)).Should().Equal(("certs/root.pem", ReadOnlyForAll), ("note.txt", UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Fact]
    public void Project_ConfigMapMissing_FailsNamingTheVolumeAndTheConfigMap()
    {
        var (files, error) = ConfigMapVolume.Project("artifact-ca", new V1ConfigMapVolumeSource { Name = "store-ca" }, configMap: null);

        files.Should().BeEmpty();
        error.Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" not found");
    }

    [Fact]
    public void Project_KeyMissing_FailsNamingTheConfigMapAndTheKey()
    {
        var source = new V1ConfigMapVolumeSource { Name = "store-ca", Items = [new V1KeyToPath { Key = "root.pem", Path = "ca.crt" }] };

        var (_, error) = ConfigMapVolume.Project("artifact-ca", source, StoreCa);

        error.Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" references non-existent config key: root.pem");
    }

    [Fact]
    public void Project_OptionalWithConfigMapOrKeyMissing_MountsWhatThereIs()
    {
        var source = new V1ConfigMapVolumeSource
        {
            Name = "store-ca", Optional = true,
            Items = [new V1KeyToPath { Key = "root.pem", Path = "root.pem" }, new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }],
        };

        var (noFiles, noError) = ConfigMapVolume.Project("ca", source, configMap: null);
        var (files, error) = ConfigMapVolume.Project("ca", source, StoreCa);

        (noFiles.Count, noError).Should().Be((0, (string?)null), "an optional volume whose ConfigMap is missing is empty");
        error.Should().BeNull();
        files.Select(f => f.Path).Should().Equal("ca.crt");
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("certs/../../outside")]
    [InlineData("/etc/passwd")]
    public void Project_ItemPathLeavingTheVolume_IsRefused(string path)
    {
        var source = new V1ConfigMapVolumeSource { Name = "store-ca", Items = [new V1KeyToPath { Key = "ca.crt", Path = path }] };

        var (files, error) = ConfigMapVolume.Project("ca", source, StoreCa);

        files.Should().BeEmpty();
        error.Should().Contain($"items path \"{path}\"");
    }

    [Fact]
    public void Map_ConfigMapVolumeAndSubPath_MountPathsPointIntoThePodsVolumeFolder()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", Namespace = "team-a" },
            Spec = new V1PodSpec { Containers = [], Volumes = [new V1Volume { Name = "ca", ConfigMap = new V1ConfigMapVolumeSource { Name = "store-ca" } }] },
        };
        var container = new V1Container
        {
            Name = "c",
            VolumeMounts =
            [
                new V1VolumeMount { Name = "ca", MountPath = "/etc/recpod/artifact-ca", ReadOnly = true },
                new V1VolumeMount { Name = "ca", MountPath = "/etc/ssl/certs/store.pem", SubPath = "ca.crt" },
            ],
        };

        var (paths, error) = PodVolumes.Map(pod, container, "/pods/team-a/p");

        error.Should().BeNull();
        paths.Should().Equal(new Dictionary<string, string>
        {
            ["/etc/recpod/artifact-ca"] = "/pods/team-a/p/volumes/ca",
            ["/etc/ssl/certs/store.pem"] = "/pods/team-a/p/volumes/ca/ca.crt",
        });
        PodVolumes.Rewrite("/etc/recpod/artifact-ca/ca.crt", paths).Should().Be("/pods/team-a/p/volumes/ca/ca.crt");
    }

    [Fact]
    public void Map_SubPathLeavingTheVolume_IsAConfigError()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [], Volumes = [new V1Volume { Name = "ca", ConfigMap = new V1ConfigMapVolumeSource { Name = "x" } }] } };
        var container = new V1Container { Name = "c", VolumeMounts = [new V1VolumeMount { Name = "ca", MountPath = "/etc/ca", SubPath = "../../etc" }] };

        var (_, error) = PodVolumes.Map(pod, container, "/pods/p");

        error.Should().Be("volumeMounts ca: subPath \"../../etc\" must be a relative path without '..'");
    }
}
