using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The log replays what was appended, cuts a torn tail, and compaction keeps the revision counter.</summary>
public sealed class WriteAheadLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wal-test-").FullName;

    [Fact]
    public void Open_AfterTornLastLine_ReplaysIntactRecordsAndTruncates()
    {
        var (log, _) = WriteAheadLog.Open(_directory);
        log.Append(new WalRecord(1, "/configmaps", "ns", "a", Encoding.UTF8.GetBytes("""{"x":1}""")));
        log.Append(new WalRecord(2, "/configmaps", "ns", "b", Encoding.UTF8.GetBytes("""{"x":2}""")));
        log.Dispose();
        File.AppendAllText(Path.Combine(_directory, "wal.jsonl"), """{"rev":3,"res":"/configmaps","ns":"ns","name":"c","obj":{"x""");

        var (reopened, records) = WriteAheadLog.Open(_directory);
        reopened.Append(new WalRecord(3, "/configmaps", "ns", "c", null));
        reopened.Dispose();
        var (_, again) = WriteAheadLog.Open(_directory);

        records.Select(r => r.Name).Should().Equal("a", "b");
        again.Select(r => (r.Name, r.Json is null)).Should().Equal(("a", false), ("b", false), ("c", true));
    }

    [Fact]
    public async Task Store_Reopened_KeepsObjectsAndRevisionAfterDeletes()
    {
        var options = new StoreOptions { DataDirectory = _directory };
        using (var store = ObjectStore.Open(options))
        {
            await store.CommitAsync("/configmaps", "ns", "a", _ => new JsonObject { ["metadata"] = new JsonObject { ["name"] = "a" } }, false, CancellationToken.None);
            await store.CommitAsync("/configmaps", "ns", "b", _ => new JsonObject { ["metadata"] = new JsonObject { ["name"] = "b" } }, false, CancellationToken.None);
            await store.CommitAsync("/configmaps", "ns", "b", _ => null, false, CancellationToken.None);
        }

        using var reopened = ObjectStore.Open(options);

        reopened.Revision.Should().Be(3);
        reopened.Get("/configmaps", "ns", "a")!.ResourceVersion.Should().Be(1);
        reopened.Get("/configmaps", "ns", "b").Should().BeNull();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
