using System.Runtime.InteropServices;
using System.Text;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>The REST request parser on its own: every datatype, data layouts, property orders and the extensions.</summary>
public sealed class RestInferParserTests
{
    public static TheoryData<string, string, byte[]> EveryDatatype => new()
    {
        { "BOOL", "[true,false,true]", [1, 0, 1] },
        { "UINT8", "[0,255,7]", [0, 255, 7] },
        { "INT8", "[-128,127,0]", Bytes<sbyte>(-128, 127, 0) },
        { "INT32", "[-2147483648,2147483647,5]", Bytes(int.MinValue, int.MaxValue, 5) },
        { "INT64", "[-9223372036854775808,9223372036854775807,5]", Bytes(long.MinValue, long.MaxValue, 5L) },
        { "FP16", "[1.5,-2,0.25]", Bytes((Half)1.5, (Half)(-2), (Half)0.25) },
        { "FP32", "[1.5,-0.25,1e3]", Bytes(1.5f, -0.25f, 1000f) },
        { "FP64", "[0.1,-1e300,3]", Bytes(0.1, -1e300, 3.0) },
        // Each float type's largest values still parse (beyond them is refused, RestInferParserErrorTests).
        { "FP16", "[65504,-65504,6e-8]", Bytes((Half)65504, (Half)(-65504), (Half)6e-8) },
        { "FP32", "[3.4e38,-3.4e38,1e-45]", Bytes(3.4e38f, -3.4e38f, 1e-45f) },
        { "FP64", "[1.7e308,-1.7e308,5e-324]", Bytes(1.7e308, -1.7e308, 5e-324) },
    };

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public void Parse_EveryDatatype_WritesLittleEndianElements(string datatype, string data, byte[] expected)
    {
        var request = Parse($"{{\"inputs\":[{{\"name\":\"x\",\"datatype\":\"{datatype}\",\"shape\":[3],\"data\":{data}}}]}}");

        var tensor = request.Inputs.Should().ContainSingle().Subject;
        tensor.ElementType.Should().Be(Datatypes.Parse(datatype));
        tensor.Shape.Should().Equal(3);
        tensor.Data.ToArray().Should().Equal(expected);
    }

    [Theory]
    [InlineData("[[1,2,3],[4,5,6]]")]
    [InlineData("[1,2,3,4,5,6]")]
    public void Parse_NestedData_FlattensRowMajor(string data)
    {
        var request = Parse($"{{\"inputs\":[{{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[2,3],\"data\":{data}}}]}}");

        request.Inputs[0].Data.ToArray().Should().Equal(Bytes(1, 2, 3, 4, 5, 6));
    }

    [Fact]
    public void Parse_NestedDataOfThreeDimensions_FlattensRowMajor()
    {
        var request = Parse("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[2,3,1],\"data\":[[[1],[2],[3]],[[4],[5],[6]]]}]}");

        request.Inputs[0].Data.ToArray().Should().Equal(Bytes(1, 2, 3, 4, 5, 6));
    }

    [Theory]
    [InlineData("\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2,3,4]")]
    [InlineData("\"data\":[1,2,3,4],\"shape\":[2,2],\"datatype\":\"FP32\",\"name\":\"x\"")]
    [InlineData("\"name\":\"x\",\"data\":[[1,2],[3,4]],\"datatype\":\"FP32\",\"shape\":[2,2]")]
    [InlineData("\"shape\":[2,2],\"name\":\"x\",\"data\":[1,2,3,4],\"datatype\":\"FP32\"")]
    [InlineData("\"datatype\":\"FP32\",\"data\":[1,2,3,4],\"name\":\"x\",\"shape\":[2,2]")]
    public void Parse_PropertiesInAnyOrder_GiveTheSameTensor(string properties)
    {
        var request = Parse($"{{\"inputs\":[{{{properties}}}],\"id\":\"r\"}}");

        var tensor = request.Inputs.Should().ContainSingle().Subject;
        (tensor.Name, tensor.ElementType, request.Id).Should().Be(("x", TensorElementType.Float, "r"));
        tensor.Shape.Should().Equal(2, 2);
        tensor.Data.ToArray().Should().Equal(Bytes(1f, 2f, 3f, 4f));
    }

    [Fact]
    public void Parse_UnknownPropertiesWithNestedValues_AreSkipped()
    {
        const string Decoy = "{\"name\":\"evil\",\"inputs\":[{\"data\":[9,[9]]}],\"shape\":[7],\"binary_data_size\":4}";
        var request = Parse(
            "{\"extra\":" + Decoy + ",\"id\":\"r1\",\"model_version\":[1,[2,{\"a\":null}]],"
            + "\"inputs\":[{\"name\":\"x\",\"meta\":" + Decoy + ",\"datatype\":\"INT64\",\"tags\":[[\"data\"]],\"shape\":[2],"
            + "\"parameters\":{\"content_type\":\"x\",\"nested\":" + Decoy + "},\"data\":[1,2],\"after\":[{}]}],"
            + "\"outputs\":[{\"name\":\"y\",\"shape\":[1],\"parameters\":{\"other\":" + Decoy + ",\"binary_data\":true}}],"
            + "\"parameters\":{\"priority\":{\"level\":[1]},\"binary_data_output\":false},\"trailer\":\"inputs\"}");

        request.Id.Should().Be("r1");
        var tensor = request.Inputs.Should().ContainSingle().Subject;
        (tensor.Name, tensor.ElementType).Should().Be(("x", TensorElementType.Int64));
        tensor.Shape.Should().Equal(2);
        tensor.Data.ToArray().Should().Equal(Bytes(1L, 2L));
        request.RequestedOutputs.Should().Equal("y");
        request.BinaryOutputs.Should().BeEquivalentTo(["y"]);
        request.AllOutputsBinary.Should().BeFalse();
    }

    [Fact]
    public void Parse_BinaryExtensionMixedWithJsonInputs_TakesBinaryBytesInInputOrder()
    {
        var json = "{\"inputs\":["
            + "{\"name\":\"a\",\"datatype\":\"INT64\",\"shape\":[1],\"parameters\":{\"binary_data_size\":8}},"
            + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.5,2.5]},"
            + "{\"parameters\":{\"binary_data_size\":4},\"shape\":[4],\"name\":\"c\",\"datatype\":\"UINT8\"}]}";
        byte[] binary = [.. Bytes(42L), 9, 8, 7, 6];

        var request = ParseBinary(json, binary);

        request.Inputs.Select(i => i.Name).Should().Equal("a", "b", "c");
        request.Inputs[0].Data.ToArray().Should().Equal(Bytes(42L));
        request.Inputs[1].Data.ToArray().Should().Equal(Bytes(1.5f, 2.5f));
        (request.Inputs[2].ElementType, request.Inputs[2].Data.ToArray()).Should().BeEquivalentTo((TensorElementType.UInt8, new byte[] { 9, 8, 7, 6 }));
    }

    [Fact]
    public void Parse_OutputsAndParameters_AreRead()
    {
        var request = Parse("{\"id\":\"req-1\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"BOOL\",\"shape\":[0],\"data\":[]}],"
            + "\"outputs\":[{\"name\":\"score\",\"parameters\":{\"binary_data\":true}},{\"name\":\"logits\",\"parameters\":{\"binary_data\":false}},{\"name\":\"z\",\"parameters\":null}],"
            + "\"parameters\":{\"binary_data_output\":true}}");

        request.Id.Should().Be("req-1");
        request.Inputs[0].Data.Length.Should().Be(0);
        request.RequestedOutputs.Should().Equal("score", "logits", "z");
        request.BinaryOutputs.Should().BeEquivalentTo(["score"]);
        request.AllOutputsBinary.Should().BeTrue();
    }

    [Fact]
    public void Parse_NoOutputsNoIdNoParameters_AsksForEverythingAsJson()
    {
        var request = Parse("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[],\"data\":[2]}],\"parameters\":{}}");

        request.Id.Should().BeEmpty();
        request.Inputs[0].Shape.Should().BeEmpty();
        request.Inputs[0].Data.ToArray().Should().Equal(Bytes(2.0));
        request.RequestedOutputs.Should().BeEmpty();
        request.BinaryOutputs.Should().BeEmpty();
        request.AllOutputsBinary.Should().BeFalse();
        request.NotBinaryOutputs.Should().BeEmpty();
    }

    [Fact]
    public void Parse_EscapedNamesAndDatatype_AreUnescaped()
    {
        var request = Parse("{\"\\u0069nputs\":[{\"n\\u0061me\":\"x\\u00e9\",\"datatype\":\"\\u0046P32\",\"shape\":[1],\"d\\u0061ta\":[2]}]}");

        var tensor = request.Inputs.Should().ContainSingle().Subject;
        (tensor.Name, tensor.ElementType).Should().Be(("x\u00e9", TensorElementType.Float));
        tensor.Data.ToArray().Should().Equal(Bytes(2f));
    }

    [Fact]
    public void Parse_UnknownPropertiesWithTheDataBeforeShape_ReadsTheDataOnceShapeIsKnown()
    {
        var request = Parse("{\"inputs\":[{\"data\":[[true],[false]],\"x\":{\"data\":[1]},\"name\":\"b\",\"parameters\":{\"content_type\":\"x\"},\"datatype\":\"BOOL\",\"shape\":[2,1]},"
            + "{\"name\":\"c\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[-3]}]}");

        request.Inputs.Select(i => i.Name).Should().Equal("b", "c");
        request.Inputs[0].Data.ToArray().Should().Equal([1, 0]);
        request.Inputs[1].Data.ToArray().Should().Equal(Bytes<sbyte>(-3));
    }

    internal static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    internal static InferRequest Parse(string json) => RestInferParser.Parse(Encoding.UTF8.GetBytes(json), null);

    internal static InferRequest ParseBinary(string json, byte[] binary)
    {
        var header = Encoding.UTF8.GetBytes(json);
        return RestInferParser.Parse(header.Concat(binary).ToArray(), header.Length);
    }
}
