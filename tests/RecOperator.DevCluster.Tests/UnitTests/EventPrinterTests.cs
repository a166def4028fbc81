using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.UnitTests;

public sealed class EventPrinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static CoreV1Event Event(DateTimeOffset? first = null, DateTimeOffset? last = null, DateTimeOffset? eventTime = null, CoreV1EventSeries? series = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-1.abc" },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-1" },
        FirstTimestamp = first, LastTimestamp = last, EventTime = eventTime, Series = series,
    };

    [Fact]
    public void LastSeen_SeriesBeforeLastTimestampBeforeFirstSighting()
    {
        var series = new CoreV1EventSeries { Count = 4, LastObservedTime = Now.AddSeconds(-5) };
        EventPrinter.LastSeen(Event(Now.AddMinutes(-9), Now.AddSeconds(-30), series: series), Now).Should().Be("5s");
        EventPrinter.LastSeen(Event(Now.AddMinutes(-9), Now.AddSeconds(-30)), Now).Should().Be("30s");
        EventPrinter.LastSeen(Event(Now.AddMinutes(-9)), Now).Should().Be("9m");
        // events.k8s.io writers set eventTime, not the timestamps.
        EventPrinter.LastSeen(Event(eventTime: Now.AddSeconds(-70)), Now).Should().Be("70s");
        EventPrinter.LastSeen(Event(), Now).Should().Be("<unknown>");
    }

    [Fact]
    public void Target_KindInLowerCaseSlashName_OrTheKindAlone()
    {
        EventPrinter.Target(new V1ObjectReference { Kind = "ReplicaSet", Name = "web-5d8f" }).Should().Be("replicaset/web-5d8f");
        EventPrinter.Target(new V1ObjectReference { Kind = "Node" }).Should().Be("node");
    }

    [Fact]
    public void Source_ComponentElseReportingController_ThenHostElseReportingInstance()
    {
        EventPrinter.Source(Event() with { Source = new V1EventSource { Component = "kubelet", Host = "work-0" } }).Should().Be("kubelet, work-0");
        EventPrinter.Source(Event() with { ReportingComponent = "default-scheduler" }).Should().Be("default-scheduler");
        EventPrinter.Source(Event() with { ReportingComponent = "serving.recoperator.io/operator", ReportingInstance = "recop-1" })
            .Should().Be("serving.recoperator.io/operator, recop-1");
    }

    [Fact]
    public void Columns_EventsV1Form_PrintedFromItsCoreForm()
    {
        var eventsV1 = JsonNode.Parse("""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"m.1","namespace":"default"},
             "eventTime":"2026-11-25T11:59:00.000000Z","series":{"count":3,"lastObservedTime":"2026-11-25T11:59:50.000000Z"},
             "regarding":{"kind":"RecModel","name":"ranking"},"reason":"ScaledUp","note":" cpu 1 -> 2 ","type":"Normal",
             "reportingController":"serving.recoperator.io/operator","reportingInstance":"recop-1","action":"Scale"}
            """)!.AsObject();

        var cells = EventPrinter.Columns(EventConversion.ToCore).ToDictionary(c => c.Name, c => c.Compute!(eventsV1, Now)?.ToString());

        cells.Should().Equal(new Dictionary<string, string?>
        {
            ["Last Seen"] = "10s", ["Type"] = "Normal", ["Reason"] = "ScaledUp", ["Object"] = "recmodel/ranking", ["Subobject"] = null,
            ["Source"] = "serving.recoperator.io/operator, recop-1", ["Message"] = "cpu 1 -> 2", ["First Seen"] = "60s", ["Count"] = "3", ["Name"] = "m.1",
        });
    }
}
