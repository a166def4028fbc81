using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Api.Protobuf;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>
/// Protobuf bodies built by hand, one special encoding at a time, decode to the JSON a Go API server's encoder writes
/// for the same object: zero scalars left out unless their Go field is a pointer or required, messages kept even when
/// empty, IntOrString as a number or string, quantities and times as text, bytes as base64.
/// </summary>
public sealed class ProtobufObjectDecoderTests
{
    [Fact]
    public void Decode_DeploymentAsKubectlSendsIt_WritesOnlyWhatGoJsonWouldWrite()
    {
        // kubectl writes every non-pointer field, zero or not: empty strings, 0, false and empty messages.
        var meta = new ProtoWriter().String(1, "d").String(2, "").String(3, "").Varint(7, 0).Message(8, new ProtoWriter()).Entry(11, "app", "d");
        var container = new ProtoWriter().String(1, "x").String(2, "x").String(3, "cmd").String(3, "a").String(5, "")
            .Message(6, p => p.String(1, "").Varint(2, 0).Varint(3, 80).String(4, "").String(5, ""))
            .Message(8, new ProtoWriter()).Bool(16, false).Bool(18, false);
        var template = new ProtoWriter().Message(1, new ProtoWriter().Message(8, new ProtoWriter()).Entry(11, "app", "d"))
            .Message(2, s => s.Message(2, container).String(3, "").Bool(11, false).String(19, ""));
        var spec = new ProtoWriter().Varint(1, 2).Message(2, s => s.Entry(1, "app", "d")).Message(3, template)
            .Message(4, s => s.String(1, "")).Varint(5, 0).Bool(7, false);
        var status = new ProtoWriter().Varint(1, 0).Varint(2, 0).Varint(3, 0).Varint(4, 0);

        var obj = Decode("apps/v1", "Deployment", new ProtoWriter().Message(1, meta).Message(2, spec).Message(3, status));

        ShouldBe(obj, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"d"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},
               "template":{"metadata":{"labels":{"app":"d"}},
                 "spec":{"containers":[{"name":"x","image":"x","command":["cmd","a"],"ports":[{"containerPort":80}],"resources":{}}]}},
               "strategy":{}},
             "status":{}}
            """);
        obj.First().Key.Should().Be("apiVersion", "type meta comes first, as in a JSON body");
    }

    [Theory]
    [InlineData(0, 1, "", "1")]
    [InlineData(0, 0, "", "0")]
    [InlineData(0, -3, "", "-3")]
    [InlineData(1, 0, "50%", "\"50%\"")]
    [InlineData(1, 0, "", "\"\"")]
    public void Decode_IntOrString_IsANumberOrAString(long type, long intVal, string strVal, string expected)
    {
        var spec = new ProtoWriter().Message(1, v => v.Varint(1, type).Varint(2, intVal).String(3, strVal));

        var obj = Decode("policy/v1", "PodDisruptionBudget", new ProtoWriter().Message(2, spec));

        obj["spec"]!["minAvailable"]!.ToJsonString().Should().Be(expected);
    }

    [Fact]
    public void Decode_IntOrStringEmptyMessage_IsZeroAndKept()
    {
        // A present IntOrString is a set value (maxUnavailable: 0 means none may be down), however zero it is.
        var obj = Decode("policy/v1", "PodDisruptionBudget", new ProtoWriter().Message(2, s => s.Message(3, new ProtoWriter())));

        obj["spec"]!["maxUnavailable"]!.ToJsonString().Should().Be("0");
    }

    [Theory]
    [InlineData("500m", "500m")]
    [InlineData(null, "0")]
    public void Decode_QuantityInResourceList_IsItsText(string? text, string expected)
    {
        var quantity = text is null ? new ProtoWriter() : new ProtoWriter().String(1, text);
        var container = new ProtoWriter().String(1, "c").Message(8, r => r.Message(1, e => e.String(1, "cpu").Message(2, quantity)));

        var obj = Decode("v1", "Pod", new ProtoWriter().Message(2, s => s.Message(2, container)));

        obj["spec"]!["containers"]![0]!["resources"]!["limits"]!["cpu"]!.GetValue<string>().Should().Be(expected);
    }

    [Fact]
    public void Decode_Time_IsRfc3339InWholeSecondsAndAnEmptyOneIsLeftOut()
    {
        var meta = new ProtoWriter().String(1, "x").Message(8, t => t.Varint(1, 1_700_000_000).Varint(2, 999_000_000))
            .Message(9, new ProtoWriter());

        var obj = Decode("v1", "ConfigMap", new ProtoWriter().Message(1, meta));

        ShouldBe(obj["metadata"]!, """{"name":"x","creationTimestamp":"2023-11-14T22:13:20Z"}""");
    }

    [Fact]
    public void Time_MicroTime_KeepsMicroseconds()
    {
        var time = new ProtoWriter().Varint(1, 1_700_000_000).Varint(2, 123_456_789).ToArray();

        ProtobufValues.Time(time, micro: true, "eventTime")!.GetValue<string>().Should().Be("2023-11-14T22:13:20.123456Z");
    }

    [Fact]
    public void Decode_BytesMaps_AreBase64()
    {
        var secret = Decode("v1", "Secret", new ProtoWriter().Message(2, e => e.String(1, "pw").Bytes(2, "hunter2"u8.ToArray())).String(3, "Opaque"));
        var configMap = Decode("v1", "ConfigMap", new ProtoWriter().Message(3, e => e.String(1, "bin").Bytes(2, [0x00, 0xff])));

        ShouldBe(secret, """{"apiVersion":"v1","kind":"Secret","data":{"pw":"aHVudGVyMg=="},"type":"Opaque"}""");
        configMap["binaryData"]!["bin"]!.GetValue<string>().Should().Be("AP8=");
    }

    [Fact]
    public void Decode_MapEntryWithoutValue_IsTheZeroValue()
    {
        var obj = Decode("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.Message(11, e => e.String(1, "empty"))));

        obj["metadata"]!["labels"]!["empty"]!.GetValue<string>().Should().Be("");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_RepeatedIntegers_PackedOrNot_AreTheSameList(bool packed)
    {
        var context = packed ? new ProtoWriter().Packed(4, 1, 2, 3) : new ProtoWriter().Varint(4, 1).Varint(4, 2).Varint(4, 3);

        var obj = Decode("v1", "Pod", new ProtoWriter().Message(2, s => s.Message(14, context.Varint(2, -5))));

        ShouldBe(obj["spec"]!["securityContext"]!, """{"supplementalGroups":[1,2,3],"runAsUser":-5}""");
    }

    [Fact]
    public void Decode_ZeroScalars_KeptForPointersAndRequiredFieldsOnly()
    {
        // replicas and automountServiceAccountToken are Go pointers (0 and false are set values); a container's name
        // has no omitempty; minReadySeconds, paused and stdin are plain values, left out at zero.
        var container = new ProtoWriter().String(1, "").Bool(16, false);
        var template = new ProtoWriter().Message(2, s => s.Message(2, container).Bool(21, false));
        var spec = new ProtoWriter().Varint(1, 0).Message(3, template).Varint(5, 0).Bool(7, false);

        var obj = Decode("apps/v1", "Deployment", new ProtoWriter().Message(2, spec));

        ShouldBe(obj["spec"]!, """{"replicas":0,"template":{"spec":{"containers":[{"name":""}],"automountServiceAccountToken":false}}}""");
    }

    [Fact]
    public void Decode_EmbeddedStructs_InlineTheirFields()
    {
        // ConfigMapKeySelector embeds LocalObjectReference (field 1, its name 1); Volume embeds VolumeSource (field 2).
        var env = new ProtoWriter().String(1, "K").Message(3, v => v.Message(3, s => s.Message(1, r => r.String(1, "cm")).String(2, "k").Bool(3, false)));
        var volume = new ProtoWriter().String(1, "v").Message(2, s => s.Message(19, c => c.Message(1, r => r.String(1, "cm"))));
        var spec = new ProtoWriter().Message(1, volume).Message(2, c => c.String(1, "c").Message(7, env));

        var obj = Decode("v1", "Pod", new ProtoWriter().Message(2, spec));

        ShouldBe(obj["spec"]!["volumes"]!, """[{"name":"v","configMap":{"name":"cm"}}]""");
        ShouldBe(obj["spec"]!["containers"]![0]!["env"]!, """[{"name":"K","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k","optional":false}}}]""");
    }

    [Fact]
    public void Decode_MessageFieldSentTwice_Merges()
    {
        var obj = Decode("v1", "ConfigMap", new ProtoWriter().Message(1, m => m.String(1, "x")).Message(1, m => m.Entry(11, "a", "b")));

        ShouldBe(obj["metadata"]!, """{"name":"x","labels":{"a":"b"}}""");
    }

    [Theory]
    [InlineData("apps/v1", "Deployment", "protobuf field 99 of io.k8s.api.apps.v1.DeploymentSpec (at spec)")]
    [InlineData("v1", "Pod", "protobuf field 3 of io.k8s.api.core.v1.Volume field 2 (at spec.volumes[0])")]
    public void Decode_FieldTheTableDoesNotKnow_Is415NamingDefinitionAndNumber(string apiVersion, string kind, string named)
    {
        var body = kind == "Pod"
            ? new ProtoWriter().Message(2, s => s.Message(1, v => v.String(1, "v").Message(2, src => src.Message(3, new ProtoWriter()))))
            : new ProtoWriter().Message(2, s => s.Varint(99, 1));

        var error = DecodeError(apiVersion, kind, body);

        (error.Code, error.Reason).Should().Be((415, "UnsupportedMediaType"));
        error.Message.Should().Contain(named).And.Contain("send this object as JSON");
    }

    [Theory]
    [InlineData("test.recoperator.io/v1", "Widget", "Widget (test.recoperator.io/v1) is not a built-in kind")]
    [InlineData("batch/v1", "Job", "protobuf messages of io.k8s.api.batch.v1.Job (at the object)")]
    public void Decode_KindOutsideTheTable_Is415(string apiVersion, string kind, string message)
    {
        var error = DecodeError(apiVersion, kind, new ProtoWriter().Message(1, m => m.String(1, "x")));

        error.Code.Should().Be(415);
        error.Message.Should().Contain(message);
    }

    private static JsonObject Decode(string apiVersion, string kind, ProtoWriter obj) =>
        ProtobufObjectDecoder.Decode(ProtoWriter.Envelope(apiVersion, kind, obj));

    private static ApiException DecodeError(string apiVersion, string kind, ProtoWriter obj)
    {
        var decode = () => Decode(apiVersion, kind, obj);
        return decode.Should().Throw<ApiException>().Which;
    }

    private static void ShouldBe(JsonNode actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).Should().BeTrue(actual.ToJsonString());
}
