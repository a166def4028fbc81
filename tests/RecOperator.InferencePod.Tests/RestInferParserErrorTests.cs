using System.Text;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// Malformed REST bodies, each wrong in one way: the parser must refuse every one as InvalidArgument with a message
/// naming the part that is wrong (the messages a client sees, so a rewrite of the parser must keep them).
/// </summary>
public sealed class RestInferParserErrorTests
{
    private const string Valid = "\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2]";

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "{\"inputs\":[", "not valid JSON" },
        { "{\"inputs\":[{" + Valid + "}]} x", "not valid JSON" },
        { "{\"inputs\":[{" + Valid + "}],}", "not valid JSON" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],\"extra\":" + new string('[', 40) + "1" + new string(']', 40) + "}]}", "not valid JSON" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":" + new string('[', 40) + "1" + new string(']', 40) + "}]}", "input 'x': data[0] is an array, but the shape has 1 dimension(s)" },
        { "[1,2,3]", "must be a JSON object with \"inputs\"" },
        { "\"inputs\"", "must be a JSON object with \"inputs\"" },
        { "{}", "\"inputs\" must be a non-empty array of tensors" },
        { "{\"inputs\":[]}", "\"inputs\" must be a non-empty array of tensors" },
        { "{\"inputs\":{\"name\":\"x\"}}", "\"inputs\" must be a non-empty array of tensors" },
        { "{\"inputs\":[{" + Valid + "},7]}", "inputs[1] must be an object" },
        { "{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", "inputs[0].name is missing" },
        { "{\"inputs\":[{\"name\":5,\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", "inputs[0].name is missing" },
        { "{\"inputs\":[{\"name\":\"\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", "inputs[0].name is missing" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP99\",\"shape\":[1],\"data\":[1]}]}", "input 'x': datatype 'FP99' is not one of BOOL" },
        { "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1]}]}", "input 'x': datatype '' is not one of" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"fp32\",\"shape\":[1],\"data\":[1]}]}", "input 'x': datatype 'fp32' is not one of" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}", "input 'x': \"shape\" must be an array of integers" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":2,\"data\":[1,2]}]}", "input 'x': \"shape\" must be an array of integers" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1],\"data\":[]}]}", "input 'x': shape[0] = -1 is not a non-negative integer" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,1.5],\"data\":[]}]}", "input 'x': shape[1] = 1.5 is not a non-negative integer" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[\"a\"],\"data\":[]}]}", "input 'x': shape[0] = \"a\" is not a non-negative integer" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[[1]],\"data\":[]}]}", "input 'x': shape[0] = [1] is not a non-negative integer" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1000000000000,13],\"data\":[]}]}", "input 'x': shape [1000000000000, 13] holds more elements than the 80-byte JSON body can carry (one byte per value at least)" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2]}]}", "input 'x': \"data\" must be an array (or give parameters.binary_data_size)" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":1}]}", "input 'x': \"data\" must be an array" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[3],\"data\":[1,2]}]}", "input 'x': its shape needs 3 values, \"data\" has 2" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2,3]}]}", "input 'x': its shape needs 2 values, \"data\" has 3" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[[1,2],[3,\"a\",{}]]}]}", "input 'x': data[0] is an array, but the shape has 1 dimension(s) (shape [2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[[1,2,3],[4]]}]}", "input 'x': data[0] has 3 item(s) where dimension 1 of the shape needs 2 (shape [2, 2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[[1,2],[3]]}]}", "input 'x': data[1] has 1 item(s) where dimension 1 of the shape needs 2 (shape [2, 2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[[1,2]]}]}", "input 'x': data has 1 item(s) where dimension 0 of the shape needs 2 (shape [2, 2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[[1,2],3,4]}]}", "input 'x': data[1] is a value where the shape needs an array of 2 (shape [2, 2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[1,2,[3,4]]}]}", "input 'x': data[2] is an array among values: \"data\" is either flat or nested as the shape (shape [2, 2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[[1,[2]]]}]}", "input 'x': data[0][1] is an array, but the shape has 2 dimension(s) (shape [1, 2])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[],\"data\":[[1]]}]}", "input 'x': data[0] is an array, but the shape has 0 dimension(s) (shape [])" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,\"a\"]}]}", "input 'x': data[1] = \"a\" is not a FP32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,1],\"data\":[[1],[null]]}]}", "input 'x': data[1] = null is not a FP32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[{\"a\":[1,2]}]}]}", "input 'x': data[0] = {\"a\":[1,2]} is not a FP32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[\"" + new string('z', 60) + "\"]}]}", "input 'x': data[0] = \"" + new string('z', 39) + "... is not a FP32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,1e39]}]}", "input 'x': data[1] = 1e39 is not a FP32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[-3.5e38]}]}", "input 'x': data[0] = -3.5e38 is not a FP32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP16\",\"shape\":[1],\"data\":[70000]}]}", "input 'x': data[0] = 70000 is not a FP16 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":[1e400]}]}", "input 'x': data[0] = 1e400 is not a FP64 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[true]}]}", "input 'x': data[0] = true is not a INT64 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"BOOL\",\"shape\":[2],\"data\":[true,1]}]}", "input 'x': data[1] = 1 is not a BOOL value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[128]}]}", "input 'x': data[0] = 128 is not a INT8 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"UINT8\",\"shape\":[1],\"data\":[-1]}]}", "input 'x': data[0] = -1 is not a UINT8 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":[2147483648]}]}", "input 'x': data[0] = 2147483648 is not a INT32 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[9223372036854775808]}]}", "input 'x': data[0] = 9223372036854775808 is not a INT64 value" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[1,2.5]}]}", "input 'x': data[1] = 2.5 is not a INT64 value" },
        { "{\"inputs\":[{" + Valid + "},{\"name\":\"y\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":[1.0]}]}", "input 'y': data[0] = 1.0 is not a INT32 value" },
        { "{\"inputs\":[{" + Valid + "}],\"outputs\":{\"name\":\"y\"}}", "\"outputs\" must be an array" },
        { "{\"inputs\":[{" + Valid + "}],\"outputs\":[{\"name\":\"y\"},{\"parameters\":{}}]}", "every entry of \"outputs\" needs a \"name\"" },
        { "{\"inputs\":[{" + Valid + "}],\"outputs\":[\"y\"]}", "every entry of \"outputs\" needs a \"name\"" },
    };

    public static TheoryData<string, int, string> MalformedBinaryBodies => new()
    {
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":{\"binary_data_size\":8}}]}", 4, "input 'x': binary_data_size 8 does not fit the 4 binary bytes left" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":-4}}]}", 4, "input 'x': binary_data_size -4 does not fit the 4 binary bytes left" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":4.5}}]}", 8, "input 'x': binary_data_size 4.5 does not fit the 8 binary bytes left" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":4}}]}", 8, "the binary section has 8 bytes but the inputs' binary_data_size add up to 4" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1000000000,1000],\"parameters\":{\"binary_data_size\":4}}]}", 4, "input 'x': shape [1000000000, 1000] holds more elements than the request's 4 binary bytes can carry" },
    };

    /// <summary>Refusals the one-pass parser defines where the JsonDocument one resolved silently or crashed.</summary>
    public static TheoryData<string, string> AmbiguousBodies => new()
    {
        { "{\"inputs\":[{" + Valid + "}],\"inputs\":[{" + Valid + "}]}", "\"inputs\" appears more than once in the request" },
        { "{\"id\":\"a\",\"inputs\":[{" + Valid + "}],\"id\":\"b\"}", "\"id\" appears more than once in the request" },
        { "{\"inputs\":[{" + Valid + "}],\"parameters\":{},\"parameters\":{\"binary_data_output\":true}}", "\"parameters\" appears more than once in the request" },
        { "{\"inputs\":[{" + Valid + "}],\"parameters\":{\"binary_data_output\":true,\"binary_data_output\":false}}", "\"binary_data_output\" appears more than once in the request's parameters" },
        // A flag that is not a boolean, or parameters that are not an object, were read as unset: a JSON answer to a
        // client that asked for binary.
        { "{\"inputs\":[{" + Valid + "}],\"parameters\":{\"binary_data_output\":\"true\"}}", "the request's parameters.binary_data_output must be true or false, not a string" },
        { "{\"inputs\":[{" + Valid + "}],\"parameters\":{\"binary_data_output\":1}}", "the request's parameters.binary_data_output must be true or false, not a number" },
        { "{\"inputs\":[{" + Valid + "}],\"parameters\":[{\"binary_data_output\":true}]}", "the request's parameters must be an object, not an array" },
        { "{\"inputs\":[{" + Valid + "}],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":\"yes\"}}]}", "outputs[0].parameters.binary_data must be true or false, not a string" },
        { "{\"inputs\":[{" + Valid + ",\"data\":[3,4]}]}", "\"data\" appears more than once in inputs[0]" },
        { "{\"inputs\":[{" + Valid + "},{\"shape\":[1]," + Valid + "}]}", "\"shape\" appears more than once in inputs[1]" },
        { "{\"inputs\":[{\"name\":\"a\"," + Valid + "}]}", "\"name\" appears more than once in inputs[0]" },
        { "{\"inputs\":[{\"datatype\":\"INT8\"," + Valid + "}]}", "\"datatype\" appears more than once in inputs[0]" },
        { "{\"inputs\":[{" + Valid + ",\"parameters\":{},\"parameters\":{}}]}", "\"parameters\" appears more than once in inputs[0]" },
        { "{\"inputs\":[{" + Valid + "}],\"outputs\":[{\"name\":\"y\",\"name\":\"z\"}]}", "\"name\" appears more than once in outputs[0]" },
        { "{\"inputs\":[{" + Valid + "}],\"outputs\":[{\"name\":\"y\"},{\"name\":\"z\",\"parameters\":{\"binary_data\":true,\"binary_data\":true}}]}", "\"binary_data\" appears more than once in outputs[1].parameters" },
        { "{\"inputs\":[{" + Valid + ",\"parameters\":{\"binary_data_size\":8}}]}", "input 'x': give either \"data\" or parameters.binary_data_size, not both" },
        { "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":\"4\"}}]}", "input 'x': binary_data_size \"4\" does not fit the 0 binary bytes left" },
        { "{\"inputs\":[{\"data\":[1,\"a\"],\"shape\":[2],\"datatype\":\"INT32\",\"name\":\"late\"}]}", "input 'late': data[1] = \"a\" is not a INT32 value" },
        { "{\"inputs\":[{\"data\":[1,2],\"shape\":[2,-1],\"name\":\"late\",\"datatype\":\"INT32\"}]}", "input 'late': shape[1] = -1 is not a non-negative integer" },
        { "{\"inputs\":[{\"data\":[1],\"shape\":[1000000000000],\"datatype\":\"INT32\",\"name\":\"late\"}]}", "input 'late': shape [1000000000000] holds more elements than the 82-byte JSON body can carry" },
        { "{\"inputs\":[{\"data\":[1],\"shape\":[-1],\"datatype\":\"FP99\",\"name\":\"late\"}]}", "input 'late': datatype 'FP99' is not one of" },
        { "{\"inputs\":[{\"data\":[1],\"shape\":[-1],\"datatype\":\"FP99\"}]}", "inputs[0].name is missing" },
    };

    [Theory]
    [MemberData(nameof(AmbiguousBodies))]
    public void Parse_AmbiguousBody_RefusedWithMessageNamingThePart(string body, string expected)
    {
        var parse = () => RestInferParserTests.Parse(body);

        parse.Should().Throw<InferException>().Where(e => e.Status == InferStatus.InvalidArgument).WithMessage($"*{expected}*");
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void Parse_MalformedBody_RefusedWithMessageNamingThePart(string body, string expected)
    {
        var parse = () => RestInferParserTests.Parse(body);

        parse.Should().Throw<InferException>().Where(e => e.Status == InferStatus.InvalidArgument).WithMessage($"*{expected}*");
    }

    [Theory]
    [MemberData(nameof(MalformedBinaryBodies))]
    public void Parse_MalformedBinaryBody_RefusedWithMessageNamingThePart(string json, int binaryBytes, string expected)
    {
        var header = Encoding.UTF8.GetBytes(json);

        var parse = () => RestInferParser.Parse(header.Concat(new byte[binaryBytes]).ToArray(), header.Length);

        parse.Should().Throw<InferException>().Where(e => e.Status == InferStatus.InvalidArgument).WithMessage($"*{expected}*");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Parse_HeaderLengthOutsideTheBody_RefusedNamingTheHeader(int jsonLength)
    {
        var body = Encoding.UTF8.GetBytes("{\"inputs\":[{" + Valid + "}]}");

        var parse = () => RestInferParser.Parse(body, jsonLength);

        parse.Should().Throw<InferException>().Where(e => e.Status == InferStatus.InvalidArgument)
            .WithMessage($"*Inference-Header-Content-Length is {jsonLength}, but the body has {body.Length} bytes*");
    }
}
