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

    [Fact]
    public async Task Store_CompactedWhileRunningThenReopenedTwice_KeepsObjectsResourceVersionsAndRevision()
    {
        var options = new StoreOptions { DataDirectory = _directory, CompactionSlack = 4 };
        var expected = new Dictionary<string, (long Rv, string Data)>();
        long revision;
        int linesWhileRunning;
        using (var store = ObjectStore.Open(options))
        {
            for (var i = 0; i < 10; i++)
            {
                for (var version = 0; version < 5; version++)
                {
                    var name = $"cm-{i}";
                    var data = $"v{version}";
                    var stored = await store.CommitAsync("/configmaps", "ns", name, _ => ConfigMap(name, data), false, CancellationToken.None);
                    expected[name] = (stored!.ResourceVersion, data);
                }
            }
            foreach (var name in new[] { "cm-2", "cm-5", "cm-9" })
            {
                await store.CommitAsync("/configmaps", "ns", name, _ => null, false, CancellationToken.None);
                expected.Remove(name);
            }
            revision = store.Revision;
            linesWhileRunning = File.ReadLines(Path.Combine(_directory, "wal.jsonl")).Count();
        }

        using (ObjectStore.Open(options))
        {
            // The first reopen replays and compacts; the second reads only the snapshot and its revision header.
        }
        using var reopened = ObjectStore.Open(options);
        var next = await reopened.CommitAsync("/configmaps", "ns", "after", _ => ConfigMap("after", "x"), false, CancellationToken.None);

        revision.Should().Be(53);
        linesWhileRunning.Should().BeLessThanOrEqualTo(1 + 10 + 4 + 1, "53 writes with a slack of 4 compact while running (header + live + slack)");
        reopened.Revision.Should().Be(revision + 1);
        next!.ResourceVersion.Should().Be(revision + 1, "the counter survives compaction even when the last writes were deletes");
        var survivors = reopened.Snapshot.Of("/configmaps").Values.Where(o => o.Name != "after")
            .ToDictionary(o => o.Name, o => (o.ResourceVersion, JsonNode.Parse(o.Json)!["data"]!["k"]!.GetValue<string>()));
        survivors.Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void DirectorySyncFlush_ExistingAndMissingDirectory_SucceedsOrNamesTheDirectory()
    {
        var missing = Path.Combine(_directory, "missing");

        var existing = () => DirectorySync.Flush(_directory);
        var absent = () => DirectorySync.Flush(missing);

        existing.Should().NotThrow();
        absent.Should().Throw<IOException>().WithMessage($"*{missing}*");
    }

    private static JsonObject ConfigMap(string name, string data) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["k"] = data } };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
