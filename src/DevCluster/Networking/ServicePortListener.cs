using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Kestrel on 127.0.0.1 for one Service port. Kestrel cannot add endpoints to a running server, so each
/// Service port has its own small server; they come and go with the Services.
/// </summary>
internal sealed class ServicePortListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServicePortListener(WebApplication app, ListenerProtocol protocol, int port) => (_app, Protocol, Port) = (app, protocol, port);

    public ListenerProtocol Protocol { get; }

    public int Port { get; }

    /// <summary>Binds <paramref name="preferredPort"/> when it is free (a port published before a restart), else any free port.</summary>
    public static async Task<ServicePortListener> StartAsync(ListenerProtocol protocol, int? preferredPort, RequestDelegate handler, CancellationToken cancellationToken)
    {
        if (preferredPort is { } preferred)
        {
            try
            {
                return await BindAsync(protocol, preferred, handler, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Taken by someone else since: clients must follow the annotation to the new port.
            }
        }

        return await BindAsync(protocol, 0, handler, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ServicePortListener> BindAsync(ListenerProtocol protocol, int port, RequestDelegate handler, CancellationToken cancellationToken)
    {
        // The empty builder: no configuration files and so no file watcher. The slim one watched appsettings.json
        // through an inotify instance per listener, and with the default limit of 128 instances per user the router
        // stopped opening listeners at about 126 Service ports (and retried, re-scanning the working directory, every second).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
                listen.Protocols = protocol == ListenerProtocol.Http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServicePortListener(app, protocol, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
