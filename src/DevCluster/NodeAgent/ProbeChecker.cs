using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One probe attempt against a pod's host port on 127.0.0.1: HTTP GET (2xx/3xx succeed), TCP connect, gRPC
/// health (grpc.health.v1.Health/Check over HTTP/2 with prior knowledge; SERVING succeeds; a port that does not
/// speak HTTP/2 falls back to a TCP connect) or exec (exit code 0, run locally with the container's env).
/// </summary>
public static class ProbeChecker
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static async Task<bool> HttpGetAsync(int port, string? path, CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{(string.IsNullOrEmpty(path) ? "/" : path)}"), ct).ConfigureAwait(false);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public static async Task<bool> TcpAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<bool> GrpcHealthAsync(int port, string? service, CancellationToken ct)
    {
        var serviceBytes = System.Text.Encoding.UTF8.GetBytes(service ?? "");
        // HealthCheckRequest { string service = 1; } framed: compressed flag, big-endian length, message.
        var message = serviceBytes.Length == 0 ? [] : (byte[])[0x0A, (byte)serviceBytes.Length, .. serviceBytes];
        byte[] frame = [0, 0, 0, 0, (byte)message.Length, .. message];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/grpc.health.v1.Health/Check"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        try
        {
            using var response = await Http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.FirstOrDefault()
                : response.Headers.TryGetValues("grpc-status", out var h) ? h.FirstOrDefault() : null;
            // HealthCheckResponse { ServingStatus status = 1; } with SERVING = 1: bytes 08 01 after the 5-byte prefix.
            return response.IsSuccessStatusCode && status == "0" && body.Length >= 7 && body[5] == 0x08 && body[6] == 0x01;
        }
        catch (HttpRequestException e) when (e.HttpRequestError != HttpRequestError.ConnectionError)
        {
            // Something listens but did not speak gRPC: a protocol error, an ended response or, depending on timing, a
            // reset as an HTTP/1-only server drops the HTTP/2 preface. The connection decides, as documented above.
            return await TcpAsync(port, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public static async Task<bool> ExecAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> env, CancellationToken ct)
    {
        if (command.Count == 0)
        {
            return false;
        }
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }
        try
        {
            // On a thread of its own, as LocalProcess.StartAsync does: Process.Start blocks until the child has exec'd.
            using var process = await Task.Factory.StartNew(() => Process.Start(start)!, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                .ConfigureAwait(false);
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(CancellationToken.None), process.StandardError.ReadToEndAsync(CancellationToken.None));
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Past the probe's timeout: the check failed, and the command must not outlive it.
                process.Kill(entireProcessTree: true);
                throw;
            }
            await drain.ConfigureAwait(false);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
