using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;

namespace RecOperator.Kube.Watching;

/// <summary>
/// Reads a watch response: one JSON event per line. An ERROR event becomes the typed exception of its Status
/// (410 = <see cref="KubeGoneException"/>); a line that is not a valid event is logged and skipped.
/// </summary>
public static partial class WatchStreamReader
{
    public static async IAsyncEnumerable<WatchEvent<T>> ReadAsync<T>(
        Stream stream, JsonTypeInfo<T> objectType, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parsed = Parse(line, objectType, logger);
            if (parsed is not null)
            {
                yield return parsed;
            }
        }
    }

    /// <summary>Parses one line; null when it is skipped. Throws the API error an ERROR event carries.</summary>
    public static WatchEvent<T>? Parse<T>(string line, JsonTypeInfo<T> objectType, ILogger logger)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (!root.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                LogBadLine(logger, "no object", Truncate(line));
                return null;
            }

            if (type == "ERROR")
            {
                var status = obj.Deserialize(KubeJsonContext.Default.V1Status) ?? new();
                throw KubeApiErrors.FromWatchError(status);
            }

            WatchEventType? kind = type switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                _ => null,
            };
            if (kind is null)
            {
                LogBadLine(logger, $"unknown type '{type}'", Truncate(line));
                return null;
            }

            // A bookmark carries only apiVersion, kind and metadata; kinds with required fields (core Event) must
            // still yield it, or a resumed watch would start from an older version than the server offered.
            var value = obj.Deserialize(kind == WatchEventType.Bookmark ? Lenient(objectType) : objectType);
            return value is null ? null : new WatchEvent<T>(kind.Value, value);
        }
        catch (JsonException e)
        {
            LogBadLine(logger, e.Message, Truncate(line));
            return null;
        }
    }

    private static JsonTypeInfo<T> Lenient<T>(JsonTypeInfo<T> strict)
    {
        var options = new JsonSerializerOptions(strict.Options)
        {
            TypeInfoResolver = strict.Options.TypeInfoResolver!.WithAddedModifier(static info =>
            {
                foreach (var property in info.Properties)
                {
                    property.IsRequired = false;
                }
            }),
        };
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "...";

    [LoggerMessage(Level = LogLevel.Warning, Message = "skipping a watch line ({Problem}): {Line}")]
    private static partial void LogBadLine(ILogger logger, string problem, string line);
}
