using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>What a secret volume holds, as the kubelet projects it, and the kubelet's errors for a missing Secret or key.</summary>
public sealed class SecretVolumeTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBsecret\n-----END CERTIFICATE-----\n";

    private static readonly V1Secret StoreTls = new()
    {
        Metadata = new V1ObjectMeta { Name = "store-tls", Namespace = "team-a" },
        Data = new Dictionary<string, byte[]> { ["ca.crt"] = Encoding.UTF8.GetBytes(Pem), ["tls.key"] = [1, 2, 3] },
    };

    [Fact]
    public void Project_Items_TheListedKeyAtItsPathWithTheSecretsBytes()
    {
        var source = new V1SecretVolumeSource { SecretName = "store-tls", Items = [new V1KeyToPath { Key = "ca.crt", Path = "root.pem" }] };

        var (files, error) = SecretVolume.Project("artifact-ca", source, StoreTls);

        error.Should().BeNull();
        files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Content.Span), f.Mode)).Should().Equal(("root.pem", Pem, KeyedVolumes.DefaultMode));
    }

    [Fact]
    public void Project_NoItemsAndADefaultMode_EveryKeyNamedAfterItselfWithThatMode()
    {
        var source = new V1SecretVolumeSource { SecretName = "store-tls", DefaultMode = 256 }; // 0400

        var (files, _) = SecretVolume.Project("tls", source, StoreTls);

        files.Select(f => (f.Path, f.Mode)).Should().Equal(("ca.crt", UnixFileMode.UserRead), ("tls.key", UnixFileMode.UserRead));
        files[1].Content.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Project_SecretMissing_FailsAsTheKubeletDoesNamingTheVolumeAndTheSecret()
    {
        var (files, error) = SecretVolume.Project("artifact-ca", new V1SecretVolumeSource { SecretName = "store-tls" }, secret: null);

        files.Should().BeEmpty();
        error.Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : secret \"store-tls\" not found");
    }

    [Fact]
    public void Project_KeyMissing_FailsNamingTheSecretAndTheKey()
    {
        var source = new V1SecretVolumeSource { SecretName = "store-tls", Items = [new V1KeyToPath { Key = "root.pem", Path = "ca.crt" }] };

        var (_, error) = SecretVolume.Project("artifact-ca", source, StoreTls);

        error.Should().Be("MountVolume.SetUp failed for volume \"artifact-ca\" : secret \"store-tls\" references non-existent secret key: root.pem");
    }

    [Fact]
    public void Project_OptionalWithSecretMissing_IsAnEmptyVolume()
    {
        var (files, error) = SecretVolume.Project("tls", new V1SecretVolumeSource { SecretName = "store-tls", Optional = true }, secret: null);

        (files.Count, error).Should().Be((0, (string?)null));
    }

    [Fact]
    public void Map_SecretVolume_MountPathPointsIntoThePodsVolumeFolder()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec { Containers = [], Volumes = [new V1Volume { Name = "ca", Secret = new V1SecretVolumeSource { SecretName = "store-tls" } }] },
        };
        var container = new V1Container { Name = "c", VolumeMounts = [new V1VolumeMount { Name = "ca", MountPath = "/etc/recpod/artifact-ca", ReadOnly = true }] };

        var (paths, error) = PodVolumes.Map(pod, container, "/pods/team-a/p");

        error.Should().BeNull();
        paths.Should().Equal(new Dictionary<string, string> { ["/etc/recpod/artifact-ca"] = "/pods/team-a/p/volumes/ca" });
    }

    [Fact]
    public void Apply_SecretWithStringData_FoldsItIntoDataAsBase64WinningOverDataAndDropsIt()
    {
        var secret = new JsonObject
        {
            ["data"] = new JsonObject { ["ca.crt"] = "b2xk", ["kept"] = "eA==" },
            ["stringData"] = new JsonObject { ["ca.crt"] = Pem },
        };

        BuiltInDefaults.Apply(BuiltInResources.All.Single(t => t.Kind == "Secret"), secret);

        secret["stringData"].Should().BeNull();
        ((string?)secret["data"]!["ca.crt"]).Should().Be(Convert.ToBase64String(Encoding.UTF8.GetBytes(Pem)));
        ((string?)secret["data"]!["kept"]).Should().Be("eA==");
        ((string?)secret["type"]).Should().Be("Opaque");
    }
}
