using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>EqualIgnoreHash: the hash label and empty-versus-absent do not make templates differ; a real change does.</summary>
public sealed class PodTemplateEqualityTests
{
    [Fact]
    public void EqualIgnoreHash_EmptyResourcesAndHashLabel_StillEqual()
    {
        var plain = Template(new V1Container { Name = "c", Image = "i" }, hash: null);
        var asKubectlWritesIt = Template(new V1Container { Name = "c", Image = "i", Resources = new V1ResourceRequirements(), Env = [] }, hash: "abc");

        PodTemplateEquality.EqualIgnoreHash(plain, asKubectlWritesIt).Should().BeTrue();
    }

    [Fact]
    public void EqualIgnoreHash_DifferentEnv_NotEqual()
    {
        var plain = Template(new V1Container { Name = "c", Image = "i" }, hash: null);
        var changed = Template(new V1Container { Name = "c", Image = "i", Env = [new V1EnvVar { Name = "VERSION", Value = "2" }] }, hash: null);

        PodTemplateEquality.EqualIgnoreHash(plain, changed).Should().BeFalse();
    }

    private static V1PodTemplateSpec Template(V1Container container, string? hash)
    {
        var labels = new Dictionary<string, string> { ["app"] = "a" };
        if (hash is not null)
        {
            labels[PodTemplateHash.Label] = hash;
        }
        return new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = new V1PodSpec { Containers = [container] } };
    }
}
