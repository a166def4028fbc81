using System.Text;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Env valueFrom as the kubelet computes it: resource values rounded up in divisors with node defaults, and key lookups with their errors.</summary>
public sealed class EnvValueFromTests
{
    private static readonly IReadOnlyDictionary<string, ResourceQuantity> Node = new Dictionary<string, ResourceQuantity>
    {
        ["cpu"] = ResourceQuantity.Parse("4"), ["memory"] = ResourceQuantity.Parse("8Gi"),
    };

    [Theory]
    [InlineData("limits.cpu", null, "2")] // 1500m in cores, rounded up
    [InlineData("limits.cpu", "1m", "1500")]
    [InlineData("requests.cpu", "1m", "250")]
    [InlineData("limits.memory", null, "8589934592")] // no limit: the node's allocatable
    [InlineData("limits.memory", "1Gi", "8")]
    [InlineData("requests.memory", "1Mi", "512")]
    [InlineData("requests.ephemeral-storage", null, "0")]
    public void ResourceValue_ContainerResources_KubeletsRoundingAndDefaults(string resource, string? divisor, string expected)
    {
        var container = new V1Container
        {
            Name = "app",
            Resources = new V1ResourceRequirements
            {
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse("1500m") },
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = ResourceQuantity.Parse("250m"), ["memory"] = ResourceQuantity.Parse("512Mi") },
            },
        };
        var field = new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : ResourceQuantity.Parse(divisor) };

        var (value, error) = EnvValueFrom.ResourceValue(new V1Pod { Spec = new V1PodSpec { Containers = [container] } }, container, field, Node);

        error.Should().BeNull();
        value.Should().Be(expected);
    }

    [Fact]
    public void ResourceValue_RequestNotSet_IsTheLimitTheContainerSets()
    {
        var container = new V1Container { Name = "app", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = ResourceQuantity.Parse("1Gi") } } };

        var (value, _) = EnvValueFrom.ResourceValue(new V1Pod(), container, new V1ResourceFieldSelector { Resource = "requests.memory", Divisor = ResourceQuantity.Parse("1Mi") }, Node);

        value.Should().Be("1024");
    }

    [Fact]
    public void ResourceValue_UnsupportedResource_ErrorNamesIt()
    {
        var (value, error) = EnvValueFrom.ResourceValue(new V1Pod(), new V1Container { Name = "app" }, new V1ResourceFieldSelector { Resource = "limits.pods" }, Node);

        value.Should().BeNull();
        error.Should().Be("unsupported container resource : limits.pods");
    }

    [Theory]
    [InlineData("configmap", false, false, null, "configmap \"model\" not found")]
    [InlineData("secret", false, false, null, "secret \"model\" not found")]
    [InlineData("configmap", true, false, null, "couldn't find key name in ConfigMap ns/model")]
    [InlineData("secret", true, false, null, "couldn't find key name in Secret ns/model")]
    [InlineData("configmap", false, true, null, null)]
    [InlineData("secret", true, true, null, null)]
    public void KeyValue_ObjectOrKeyMissing_KubeletsErrorUnlessOptional(string kind, bool objectExists, bool optional, string? expected, string? expectedError)
    {
        var contents = objectExists ? new Dictionary<string, byte[]> { ["other"] = Encoding.UTF8.GetBytes("x") } : null;

        var (value, error) = EnvValueFrom.KeyValue(kind, "ns", "model", "name", optional, contents);

        value.Should().Be(expected);
        error.Should().Be(expectedError);
    }

    [Fact]
    public void KeyValue_KeyPresent_ItsDecodedValue()
    {
        var (value, error) = EnvValueFrom.KeyValue("secret", "ns", "store", "token", false, new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("s3cr3t") });

        error.Should().BeNull();
        value.Should().Be("s3cr3t");
    }
}
