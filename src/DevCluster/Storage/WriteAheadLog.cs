using System.Text;
using System.Text.Json;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// Durable log of committed writes: one JSON line per change, fsync'd before the write is acknowledged.
/// On open it replays the log; a torn last line (a kill -9 mid-append) was never acknowledged and is cut off.
/// Compaction rewrites the live set as a fresh log through a temp file and an atomic rename, then fsyncs the
/// directory so the rename itself survives a crash.
/// </summary>
public sealed class WriteAheadLog : IDisposable
{
    private const string FileName = "wal.jsonl";
    private readonly string _path;
    private readonly SerialIoThread _io = new("devcluster-wal");
    private FileStream _stream;

    private WriteAheadLog(string path, FileStream stream)
    {
        _path = path;
        _stream = stream;
    }

    public int RecordsSinceCompaction { get; private set; }

    /// <summary>Opens (creating if needed) the log in a directory and returns every intact record, in order.</summary>
    public static (WriteAheadLog Log, IReadOnlyList<WalRecord> Records) Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var records = new List<WalRecord>();
        long intactLength = 0;
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            var start = 0;
            while (start < bytes.Length)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start);
                if (end < 0 || !TryDecode(bytes.AsSpan(start, end - start), out var record))
                {
                    break;
                }
                records.Add(record);
                start = end + 1;
                intactLength = start;
            }
        }
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        stream.SetLength(intactLength);
        stream.Seek(0, SeekOrigin.End);
        return (new WriteAheadLog(path, stream) { RecordsSinceCompaction = records.Count }, records);
    }

    /// <summary>
    /// Appends and fsyncs. Synchronous on purpose: .NET has no async fsync, and the caller holds the store's
    /// single writer gate so that log order equals revision order.
    /// </summary>
    public void Append(WalRecord record)
    {
        _stream.Write(Encode(record));
        _stream.Flush(flushToDisk: true);
        RecordsSinceCompaction++;
    }

    /// <summary>
    /// <see cref="Append"/> on the log's own I/O thread: completes once the record is durable, without holding a
    /// thread-pool thread through the fsync.
    /// </summary>
    public Task AppendAsync(WalRecord record) => _io.RunAsync(() => Append(record));

    /// <summary><see cref="Compact"/> on the log's own I/O thread, after every append queued before it.</summary>
    public Task CompactAsync(long revision, IEnumerable<WalRecord> live) => _io.RunAsync(() => Compact(revision, live));

    /// <summary>Replaces the log with a snapshot of the live set, keeping the revision counter.</summary>
    public void Compact(long revision, IEnumerable<WalRecord> live)
    {
        var temp = _path + ".tmp";
        var count = 0;
        using (var snapshot = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            snapshot.Write(Encode(new WalRecord(revision, null, "", "", null)));
            foreach (var record in live)
            {
                snapshot.Write(Encode(record));
                count++;
            }
            snapshot.Flush(flushToDisk: true);
        }
        _stream.Dispose();
        File.Move(temp, _path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(_path)!);
        _stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        _stream.Seek(0, SeekOrigin.End);
        RecordsSinceCompaction = count;
    }

    public void Dispose()
    {
        // Whatever is queued is written first.
        _io.Dispose();
        _stream.Dispose();
    }

    private static byte[] Encode(WalRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("rev", record.Revision);
            if (record.Resource is not null)
            {
                writer.WriteString("res", record.Resource);
                writer.WriteString("ns", record.Namespace);
                writer.WriteString("name", record.Name);
                writer.WritePropertyName("obj");
                if (record.Json is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteRawValue(record.Json, skipInputValidation: true);
                }
            }
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static bool TryDecode(ReadOnlySpan<byte> line, out WalRecord record)
    {
        record = null!;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            var revision = root.GetProperty("rev").GetInt64();
            if (!root.TryGetProperty("res", out var res))
            {
                record = new WalRecord(revision, null, "", "", null);
                return true;
            }
            var obj = root.GetProperty("obj");
            var json = obj.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(obj.GetRawText());
            record = new WalRecord(revision, res.GetString(), root.GetProperty("ns").GetString() ?? "",
                root.GetProperty("name").GetString() ?? "", json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }
}
