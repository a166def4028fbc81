using System.Security.Cryptography.X509Certificates;

namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// Presents the exec plugin's client certificate in TLS. A socket handler's certificate is fixed, so when the plugin
/// hands out a new one this builds a new socket handler and sends later requests through it.
/// </summary>
/// <remarks>
/// The API server checks the client certificate on every request, against the connection's handshake; a pooled
/// connection would keep presenting the old (perhaps expired) certificate. The old handler is disposed after
/// <see cref="ExecPluginOptions.RetiredConnectionGrace"/>, which closes its connections: requests already running
/// finish first, and watches still open then are cut and resumed by their watcher, as client-go closes its
/// connections when the plugin's certificate changes.
/// </remarks>
internal sealed class ExecCertificateHandler : HttpMessageHandler
{
    private readonly KubeClientConfig _config;
    private readonly ExecCredentialPlugin _plugin;
    private readonly Lock _gate = new();
    private readonly List<HttpMessageInvoker> _retiring = [];
    private (X509Certificate2? Certificate, HttpMessageInvoker Invoker) _current;
    private bool _disposed;

    public ExecCertificateHandler(KubeClientConfig config, ExecCredentialPlugin plugin)
    {
        (_config, _plugin) = (config, plugin);
        _current = (null, Invoker(null));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credential = await _plugin.GetAsync(cancellationToken).ConfigureAwait(false);
        return await InvokerFor(credential.ClientCertificate).SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessageInvoker InvokerFor(X509Certificate2? certificate)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (SameCertificate(_current.Certificate, certificate))
            {
                return _current.Invoker;
            }

            var retired = _current.Invoker;
            _current = (certificate, Invoker(certificate));
            _retiring.Add(retired);
            _ = RetireAsync(retired);
            return _current.Invoker;
        }
    }

    private async Task RetireAsync(HttpMessageInvoker retired)
    {
        await Task.Delay(_plugin.Options.RetiredConnectionGrace, _plugin.Options.TimeProvider).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_retiring.Remove(retired))
            {
                return;
            }
        }

        retired.Dispose();
    }

    // A plugin that runs again (after a 401, or on expiry) may print the same certificate: no reason to reconnect.
    private static bool SameCertificate(X509Certificate2? a, X509Certificate2? b) =>
        a is null || b is null ? a is null && b is null : a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);

    private HttpMessageInvoker Invoker(X509Certificate2? certificate) =>
        new(KubeHttpHandlerFactory.Create(_config with { ClientCertificate = certificate }), disposeHandler: true);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            List<HttpMessageInvoker> all;
            lock (_gate)
            {
                _disposed = true;
                all = [.. _retiring, _current.Invoker];
                _retiring.Clear();
            }

            foreach (var invoker in all)
            {
                invoker.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
