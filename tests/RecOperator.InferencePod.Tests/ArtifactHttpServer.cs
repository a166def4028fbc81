using System.Net;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// A plain HTTP server on 127.0.0.1 (free port) that answers GET PATH with the bytes of the file
/// <c>resolve(PATH)</c> names, 404 when it names none, and records every path asked for.
/// </summary>
internal sealed class ArtifactHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string?> _resolve;
    private readonly List<string> _requested = [];
    private readonly Task _serving;

    public ArtifactHttpServer(Func<string, string?> resolve)
    {
        _resolve = resolve;
        var probe = System.Net.Sockets.TcpListener.Create(0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>Paths asked for so far, in order.</summary>
    public IReadOnlyList<string> Requested
    {
        get
        {
            lock (_requested)
            {
                return [.. _requested];
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            lock (_requested)
            {
                _requested.Add(path);
            }
            if (_resolve(path) is { } file && File.Exists(file))
            {
                await context.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(file));
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
    }
}
