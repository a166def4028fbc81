using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluentAssertions;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube.Models;
using Xunit;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The core/v1 &lt;-&gt; events.k8s.io/v1 Event conversion, against the field mapping of the real server.</summary>
public sealed class EventConversionTests
{
    private const string EventsV1 = """
        {"apiVersion":"events.k8s.io/v1","kind":"Event",
         "metadata":{"name":"w.1","namespace":"ns","uid":"e-uid","resourceVersion":"7","managedFields":[{"manager":"op","operation":"Update","apiVersion":"events.k8s.io/v1"}]},
         "eventTime":"2026-05-01T10:30:45.500000Z","series":{"count":3,"lastObservedTime":"2026-05-01T10:35:00.000000Z"},
         "reportingController":"serving.recoperator.io/operator","reportingInstance":"op-1","action":"Reconcile","reason":"Created",
         "regarding":{"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","name":"w","namespace":"ns","uid":"w-uid"},
         "related":{"apiVersion":"apps/v1","kind":"Deployment","name":"w-cpu","namespace":"ns"},
         "note":"created w-cpu","type":"Normal","deprecatedSource":{"component":"op","host":"h"},
         "deprecatedFirstTimestamp":"2026-05-01T10:30:45Z","deprecatedLastTimestamp":"2026-05-01T10:35:00Z","deprecatedCount":3}
        """;

    private const string Core = """
        {"apiVersion":"v1","kind":"Event",
         "metadata":{"name":"w.1","namespace":"ns","uid":"e-uid","resourceVersion":"7","managedFields":[{"manager":"op","operation":"Update","apiVersion":"events.k8s.io/v1"}]},
         "eventTime":"2026-05-01T10:30:45.500000Z","series":{"count":3,"lastObservedTime":"2026-05-01T10:35:00.000000Z"},
         "reportingComponent":"serving.recoperator.io/operator","reportingInstance":"op-1","action":"Reconcile","reason":"Created",
         "involvedObject":{"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","name":"w","namespace":"ns","uid":"w-uid"},
         "related":{"apiVersion":"apps/v1","kind":"Deployment","name":"w-cpu","namespace":"ns"},
         "message":"created w-cpu","type":"Normal","source":{"component":"op","host":"h"},
         "firstTimestamp":"2026-05-01T10:30:45Z","lastTimestamp":"2026-05-01T10:35:00Z","count":3}
        """;

    [Fact]
    public void ToCore_EveryEventsV1Field_LandsOnItsCoreField()
    {
        var core = EventConversion.ToCore(Parse(EventsV1));

        JsonNode.DeepEquals(core, Parse(Core)).Should().BeTrue(core.ToJsonString());
    }

    [Fact]
    public void ToEventsV1_EveryCoreField_LandsOnItsEventsV1Field()
    {
        var eventsV1 = EventConversion.ToEventsV1(Parse(Core));

        JsonNode.DeepEquals(eventsV1, Parse(EventsV1)).Should().BeTrue(eventsV1.ToJsonString());
    }

    [Fact]
    public void RoundTrip_EitherWay_GivesBackTheSameObjectAndLeavesTheArgumentAlone()
    {
        var eventsV1 = Parse(EventsV1);
        var core = Parse(Core);

        var eventsV1Again = EventConversion.ToEventsV1(EventConversion.ToCore(eventsV1));
        var coreAgain = EventConversion.ToCore(EventConversion.ToEventsV1(core));

        eventsV1Again.ToJsonString().Should().Be(eventsV1.ToJsonString(), "the same object serializes the same, field order included");
        coreAgain.ToJsonString().Should().Be(core.ToJsonString());
        JsonNode.DeepEquals(eventsV1, Parse(EventsV1)).Should().BeTrue("the conversion makes a new object");
    }

    [Fact]
    public void ToCore_EventRegardingNothing_HasAnEmptyInvolvedObject()
    {
        var core = EventConversion.ToCore(Parse("""{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e"},"note":"n"}"""));

        core.ToJsonString().Should().Be("""{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"message":"n","involvedObject":{}}""");
    }

    [Fact]
    public void ToCore_EveryFieldOfTheGeneratedEventsV1Type_IsAFieldOfTheGeneratedCoreType()
    {
        var eventsV1Fields = JsonNames(typeof(EventsV1Event));
        var full = new JsonObject();
        foreach (var field in eventsV1Fields)
        {
            full[field] = field;
        }

        var core = EventConversion.ToCore(full);

        core.Select(p => p.Key).Should().BeEquivalentTo(JsonNames(typeof(CoreV1Event)), "both versions carry the same fields, one to one");
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static List<string> JsonNames(Type type) =>
        type.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).OfType<string>().ToList();
}
