using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// A pod's `log` subresource, what `kubectl logs [-f] [-c C] [--tail N] [--limit-bytes B]` reads. A real API server
/// asks the pod's kubelet; here the node agent runs on this machine and writes each container's output to
/// <c>DATA_DIR/pod-logs/NAMESPACE/POD/CONTAINER.log</c> (<see cref="NodeAgent.PodLogs"/>), which this reads. The
/// answers follow the real server's: 400 naming the containers to choose from, or saying the container is waiting
/// to start; `follow` streams what is appended until the client leaves, the pod is gone or it has finished.
/// </summary>
public sealed class PodLogHandler(ResourceService service, string? dataDirectory, TimeProvider time)
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(250);
    private static readonly ResourceType LogOptionsType = new("", "v1", "PodLogOptions", "pods/log", Namespaced: true);

    public static bool Serves(ResourceType type) => PodBindingHandler.Serves(type);

    public async Task HandleAsync(HttpContext context, ResourceType pods, string ns, string name, CancellationToken ct)
    {
        if (context.Request.Method != "GET")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var query = context.Request.Query;
        var pod = service.Get(pods, ns, name);
        var container = Container(pod, name, query["container"].ToString());
        var tail = Count(query, "tailLines", 0);
        var limit = Count(query, "limitBytes", 1);
        if (query["previous"] == "true")
        {
            throw ApiErrors.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
        }
        var path = dataDirectory is null ? null : NodeAgent.PodLogs.PathOf(NodeAgent.PodLogs.DirectoryUnder(dataDirectory), ns, name, container);
        if (path is null || !File.Exists(path))
        {
            throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {WaitingReason(pod, container)}");
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = tail is { } lines ? await TailStartAsync(file, lines, ct).ConfigureAwait(false) : 0;
        file.Position = start;
        var budget = limit ?? long.MaxValue;
        budget -= await CopyAsync(file, context.Response.Body, budget, ct).ConfigureAwait(false);
        if (query["follow"] != "true")
        {
            return;
        }
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        var uid = JsonTree.GetString(pod, "metadata.uid");
        while (budget > 0 && !ct.IsCancellationRequested)
        {
            await Task.Delay(FollowPoll, time, ct).ConfigureAwait(false);
            var copied = await CopyAsync(file, context.Response.Body, budget, ct).ConfigureAwait(false);
            budget -= copied;
            if (copied > 0)
            {
                await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
            else if (!StillRunning(pods, ns, name, uid))
            {
                return;
            }
        }
    }

    /// <summary>The container the request names, or the pod's only one; 400 in the real server's words otherwise.</summary>
    private static string Container(JsonObject pod, string name, string asked)
    {
        var containers = Names(pod, "spec.containers");
        var init = Names(pod, "spec.initContainers");
        if (asked.Length == 0)
        {
            return containers.Count == 1 && init.Count == 0 ? containers[0]
                : throw ApiErrors.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]"
                    + (init.Count > 0 ? $" or one of the init containers: [{string.Join(' ', init)}]" : ""));
        }
        return containers.Contains(asked) || init.Contains(asked) ? asked : throw ApiErrors.BadRequest($"container {asked} is not valid for pod {name}");
    }

    private static List<string> Names(JsonObject pod, string path) =>
        (JsonTree.Get(pod, path) as JsonArray ?? []).Select(c => JsonTree.GetString(c, "name") ?? "").ToList();

    /// <summary>A non-negative (or, for limitBytes, positive) integer option; 422 on PodLogOptions as the real validation.</summary>
    private static long? Count(IQueryCollection query, string option, long minimum)
    {
        var text = query[option].ToString();
        if (text.Length == 0)
        {
            return null;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw ApiErrors.BadRequest($"{option}: Invalid value: \"{text}\": must be an integer");
        }
        return value >= minimum ? value
            : throw ApiErrors.Invalid(LogOptionsType, "", [FieldError.Invalid(option, text, $"must be greater than {(minimum == 0 ? "or equal to 0" : "0")}")]);
    }

    private static string WaitingReason(JsonObject pod, string container) =>
        (JsonTree.Get(pod, "status.containerStatuses") as JsonArray ?? [])
            .Where(s => JsonTree.GetString(s, "name") == container)
            .Select(s => JsonTree.GetString(s, "state.waiting.reason"))
            .FirstOrDefault(r => r is { Length: > 0 }) ?? "ContainerCreating";

    private bool StillRunning(ResourceType pods, string ns, string name, string? uid)
    {
        var current = service.Store.Get(pods.StorageKey, ns, name)?.Parse();
        return current is not null && JsonTree.GetString(current, "metadata.uid") == uid
            && JsonTree.GetString(current, "status.phase") is not ("Succeeded" or "Failed");
    }

    /// <summary>Where the last <paramref name="lines"/> lines begin: read backwards in blocks until enough newlines are seen.</summary>
    private static async Task<long> TailStartAsync(FileStream file, long lines, CancellationToken ct)
    {
        if (lines == 0)
        {
            return file.Length;
        }
        var buffer = new byte[64 * 1024];
        var end = file.Length;
        var position = end;
        var seen = 0L;
        // A final line that ends in a newline does not start another line.
        var skipLast = end > 0 && await ByteAtAsync(file, end - 1, ct).ConfigureAwait(false) == (byte)'\n';
        while (position > 0)
        {
            var count = (int)Math.Min(buffer.Length, position);
            position -= count;
            file.Position = position;
            await file.ReadExactlyAsync(buffer.AsMemory(0, count), ct).ConfigureAwait(false);
            for (var i = count - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n' || (skipLast && position + i == end - 1))
                {
                    continue;
                }
                if (++seen == lines)
                {
                    return position + i + 1;
                }
            }
        }
        return 0;
    }

    private static async Task<int> ByteAtAsync(FileStream file, long offset, CancellationToken ct)
    {
        var one = new byte[1];
        file.Position = offset;
        return await file.ReadAsync(one, ct).ConfigureAwait(false) == 1 ? one[0] : -1;
    }

    /// <summary>Copies what the file holds beyond its position, at most <paramref name="budget"/> bytes; returns how many.</summary>
    private static async Task<long> CopyAsync(FileStream file, Stream output, long budget, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        long copied = 0;
        while (copied < budget)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, budget - copied)), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            copied += read;
        }
        return copied;
    }
}
