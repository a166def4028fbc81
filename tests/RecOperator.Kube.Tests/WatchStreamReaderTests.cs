using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;
using RecOperator.Tests.Shared;

namespace RecOperator.Kube.Tests;

public sealed class WatchStreamReaderTests
{
    [Fact]
    public async Task ReadAsync_MixedLines_YieldsEventsAndSkipsBadLinesWithALog()
    {
        const string stream = """
            {"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"5"}}}
            this is not json
            {"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"6"}}}
            {"type":"SOMETHING","object":{}}

            {"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}
            {"type":"DELETED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"10"}}}
            """;
        var logger = new ListLogger();
        var events = new List<WatchEvent<V1ConfigMap>>();

        await foreach (var e in WatchStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(stream)), KubeJsonContext.Default.V1ConfigMap, logger, CancellationToken.None))
        {
            events.Add(e);
        }

        events.Select(e => (e.Type, e.Object.Metadata!.ResourceVersion)).Should().Equal(
            (WatchEventType.Added, "5"), (WatchEventType.Modified, "6"), (WatchEventType.Bookmark, "9"), (WatchEventType.Deleted, "10"));
        logger.Messages.Should().HaveCount(2).And.Contain(m => m.Contains("this is not json")).And.Contain(m => m.Contains("SOMETHING"));
    }

    [Fact]
    public void Parse_BookmarkOfKindWithRequiredFields_IsStillYielded()
    {
        const string line = """{"type":"BOOKMARK","object":{"kind":"Event","apiVersion":"v1","metadata":{"resourceVersion":"77"}}}""";

        var bookmark = WatchStreamReader.Parse(line, KubeJsonContext.Default.CoreV1Event, NullLogger.Instance);

        bookmark!.Type.Should().Be(WatchEventType.Bookmark);
        bookmark.Object.Metadata.ResourceVersion.Should().Be("77");
    }

    [Fact]
    public void Parse_ModifiedEventMissingRequiredField_IsSkipped() =>
        WatchStreamReader.Parse("""{"type":"MODIFIED","object":{"kind":"Event","apiVersion":"v1","metadata":{"name":"e"}}}""", KubeJsonContext.Default.CoreV1Event, NullLogger.Instance)
            .Should().BeNull();

    [Fact]
    public void Parse_ErrorEvent410_ThrowsGone()
    {
        const string line = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}}""";

        var act = () => WatchStreamReader.Parse(line, KubeJsonContext.Default.V1ConfigMap, NullLogger.Instance);

        act.Should().Throw<KubeGoneException>().Which.Status.Message.Should().Be("too old resource version");
    }
}
