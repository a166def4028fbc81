using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>The NodePools a model lists that do not exist: each (variant, pool) named, the ones that exist left alone.</summary>
public sealed class NodePoolReferencesTests
{
    private static readonly Dictionary<string, NodePoolSpec> Pools = new()
    {
        ["cpu-spot"] = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.04 },
        ["cpu-ondemand"] = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.12 },
    };

    [Fact]
    public void Missing_TypoBesideAValidPoolAndAPoolOfNoVariant_NamesEachVariantAndPool()
    {
        var model = Model(("cpu", ["cpu-spot", "cpu-ondmand"]), ("other", ["does-not-exist", "does-not-exist"]));

        var missing = NodePoolReferences.Missing(model, Pools);

        missing.Should().Equal(new PlacementKey("cpu", "cpu-ondmand"), new PlacementKey("other", "does-not-exist"));
        NodePoolReferences.Describe(missing[0]).Should().Be("variant cpu lists NodePool cpu-ondmand, which does not exist; it is not placed there");
    }

    [Fact]
    public void Missing_EveryPoolExists_None()
    {
        NodePoolReferences.Missing(Model(("cpu", ["cpu-spot", "cpu-ondemand"])), Pools).Should().BeEmpty();
    }

    private static RecModel Model(params (string Name, string[] Pools)[] variants) => new()
    {
        Metadata = new V1ObjectMeta { Name = "m", Namespace = "default" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 25 },
            Variants = [.. variants.Select(v => new VariantSpec
            {
                Name = v.Name, Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = v.Pools,
            })],
        },
    };
}
