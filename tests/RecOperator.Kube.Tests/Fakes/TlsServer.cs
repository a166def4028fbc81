using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>An HTTPS server on 127.0.0.1 answering every request with the client certificate's subject as a Status message.</summary>
public sealed class TlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsServer(WebApplication app, Uri address) => (_app, BaseAddress) = (app, address);

    public Uri BaseAddress { get; }

    public static async Task<TlsServer> StartAsync(X509Certificate2 serverCertificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = 0;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        })));
        var app = builder.Build();
        app.Run(context =>
        {
            var subject = context.Connection.ClientCertificate?.Subject ?? "anonymous";
            return FakeResponses.WriteJsonAsync(context, 200, new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "tls" },
                ["data"] = new System.Text.Json.Nodes.JsonObject { ["client"] = subject, ["auth"] = context.Request.Headers.Authorization.ToString() },
            });
        });
        await app.StartAsync();
        var address = app.Urls.First();
        return new TlsServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
