using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Patching;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>Patch formats as pure functions: JSON patch, merge patch and strategic merge patch directives.</summary>
public sealed class PatchTests
{
    [Fact]
    public void JsonPatch_AddRemoveMoveAndTest_ApplyInOrder()
    {
        var target = JsonNode.Parse("""{"a":{"b":1},"list":[1,2]}""")!.AsObject();
        var ops = JsonNode.Parse("""[{"op":"test","path":"/a/b","value":1},{"op":"add","path":"/list/-","value":3},{"op":"move","from":"/a/b","path":"/c"},{"op":"remove","path":"/list/0"}]""")!.AsArray();

        var result = JsonPatch.Apply(target, ops);

        result.ToJsonString().Should().Be("""{"a":{},"list":[2,3],"c":1}""");
    }

    [Fact]
    public void JsonPatch_FailedTest_Throws422()
    {
        var act = () => JsonPatch.Apply(JsonNode.Parse("""{"a":1}""")!.AsObject(), JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]""")!.AsArray());

        act.Should().Throw<ApiException>().Which.Code.Should().Be(422);
    }

    [Fact]
    public void MergePatch_NullAndNested_DeleteAndMerge()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"a":{"b":1,"c":2},"d":3}"""), JsonNode.Parse("""{"a":{"b":null,"e":4},"d":[1]}"""));

        result!.ToJsonString().Should().Be("""{"a":{"c":2,"e":4},"d":[1]}""");
    }

    [Fact]
    public void StrategicMergePatch_DeleteDirectiveAndPrimitiveMerge_FollowSchema()
    {
        var schema = BuiltInSchemas.Instance.DefinitionFor("", "v1", "Pod");
        var pod = JsonNode.Parse("""{"metadata":{"finalizers":["a"]},"spec":{"containers":[{"name":"x","image":"1"},{"name":"y","image":"2"}]}}""")!.AsObject();
        var patch = JsonNode.Parse("""{"metadata":{"finalizers":["b"]},"spec":{"$setElementOrder/containers":[{"name":"x"}],"containers":[{"name":"y","$patch":"delete"},{"name":"z","image":"3"}]}}""")!.AsObject();

        var result = StrategicMergePatch.Apply(pod, patch, schema);

        result["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().Equal("x", "z");
        result["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("a", "b");
        result["spec"]!.AsObject().ContainsKey("$setElementOrder/containers").Should().BeFalse();
    }

    [Fact]
    public void StrategicMergePatch_DeleteFromPrimitiveList_RemovesTheNamedValuesOnly()
    {
        // What client-side `kubectl apply` sends when a finalizer is dropped from the file.
        var pod = JsonNode.Parse("""{"metadata":{"finalizers":["a.io/x","b.io/y","c.io/z"]}}""")!.AsObject();
        var patch = JsonNode.Parse("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a.io/x","not.there/q"]}}""")!.AsObject();

        var result = StrategicMergePatch.Apply(pod, patch, BuiltInSchemas.Instance.DefinitionFor("", "v1", "Pod"));

        result["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("b.io/y", "c.io/z");
        result["metadata"]!.AsObject().Select(p => p.Key).Should().Equal("finalizers");
    }

    [Fact]
    public void StrategicMergePatch_ReplaceDirectiveInAList_MakesThePatchElementsTheWholeList()
    {
        var pod = JsonNode.Parse("""{"spec":{"containers":[{"name":"x","image":"1"},{"name":"y","image":"2"}]}}""")!.AsObject();
        var patch = JsonNode.Parse("""{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"busybox"}]}}""")!.AsObject();

        var result = StrategicMergePatch.Apply(pod, patch, BuiltInSchemas.Instance.DefinitionFor("", "v1", "Pod"));

        result["spec"]!["containers"]!.ToJsonString().Should().Be("""[{"name":"only","image":"busybox"}]""");
    }

    [Fact]
    public void StrategicMergePatch_SetElementOrder_OrdersTheNamedElementsAndKeepsServerOnlyOnesInPlace()
    {
        var schema = BuiltInSchemas.Instance.DefinitionFor("", "v1", "Pod");
        var pod = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","image":"1"},{"name":"s","image":"server"},{"name":"b","image":"2"}]}}""")!.AsObject();
        var reorder = JsonNode.Parse("""{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"b","image":"3"}]}}""")!.AsObject();
        var newFirst = JsonNode.Parse("""{"spec":{"$setElementOrder/containers":[{"name":"n"},{"name":"a"},{"name":"b"}],"containers":[{"name":"n","image":"new"}]}}""")!.AsObject();

        var reordered = StrategicMergePatch.Apply(pod, reorder, schema);
        var withNew = StrategicMergePatch.Apply(pod, newFirst, schema);

        static IEnumerable<string> Names(JsonObject o) => o["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Names(reordered).Should().Equal("s", "b", "a");
        reordered["spec"]!["containers"]![1]!["image"]!.GetValue<string>().Should().Be("3");
        Names(withNew).Should().Equal("n", "a", "s", "b");
    }
}
