using RecOperator.DevCluster.NodeAgent;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>The node agent's config: the built-in pools match the samples; bad input names the field.</summary>
public sealed class NodeAgentConfigParserTests
{
    [Fact]
    public void Default_Pools_MatchTheSampleNodePools()
    {
        var pools = DefaultNodeAgentConfig.For("/repo").Pools;

        pools.Select(p => (p.Name, p.Count)).Should().Equal(("cpu-spot", 2), ("cpu-ondemand", 2), ("gpu", 1));
        pools.Should().OnlyContain(p => p.Labels[NodePoolConfig.PoolLabel] == p.Name);
        pools[0].Taints.Should().Equal(new NodeTaintConfig("recoperator.io/spot", "true", "NoSchedule"));
        pools[2].Allocatable["nvidia.com/gpu"].Should().Be("1");
        pools[2].Taints.Should().ContainSingle(t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
    }

    [Fact]
    public void Parse_FileWithPoolsOnly_KeepsTheBuiltInImages()
    {
        var config = DefaultNodeAgentConfig.Load(null, "/repo");
        var parsed = NodeAgentConfigParser.Parse("pools:\n- name: solo\n  allocatable: {cpu: \"2\"}\n", "/repo", config);

        parsed.Pools.Should().ContainSingle(p => p.Name == "solo" && p.Count == 1);
        parsed.FindImage("ghcr.io/recoperator/operator:dev")!.Command.Should().Equal("/repo/recop");
        parsed.FindImage("ghcr.io/recoperator/operator:dev")!.Args.Should().Equal("operator");
    }

    [Theory]
    [InlineData("pools:\n- count: 1\n", "pools[0].name is required")]
    [InlineData("pools:\n- name: a\n  allocatable: {cpu: lots}\n", "pools[0].allocatable.cpu \"lots\" is not a quantity")]
    [InlineData("pools:\n- name: a\n  taints: [{key: k, effect: Sometimes}]\n", "pools[0].taints[0].effect \"Sometimes\" is not one of")]
    [InlineData("pools:\n- name: a\n- name: a\n", "the pool name \"a\" is used twice")]
    [InlineData("images:\n- repository: x\n  command: oops\n", "images[0].command must be a list of strings")]
    public void Parse_BadField_ErrorNamesIt(string yaml, string expected)
    {
        var parse = () => NodeAgentConfigParser.Parse(yaml, "/repo");

        parse.Should().Throw<FormatException>().WithMessage($"*{expected}*");
    }
}
