using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Disruption;
using RecOperator.DevCluster.Lifecycle;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Hosting;

/// <summary>
/// The DevCluster control plane, in-process: store (replayed from the data directory), registry with every
/// stored CRD served again, garbage collector, disruption controller, and Kestrel on 127.0.0.1. Once it answers, the kubeconfig
/// is written to DATA_DIR/kubeconfig.
/// </summary>
public sealed class DevClusterServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _collector;
    private readonly Task _disruption;
    private readonly Task _namespaceDefaults;
    private readonly Task _eventExpiry;
    private readonly TokenSigningKey _signingKey;

    private DevClusterServer(WebApplication app, ObjectStore store, Task collector, Task disruption, Task namespaceDefaults, Task eventExpiry, CancellationTokenSource stopping, TokenSigningKey signingKey,
        Uri baseAddress, string? token, string? caPem, string? kubeconfig)
    {
        _signingKey = signingKey;
        _app = app;
        _store = store;
        _collector = collector;
        _disruption = disruption;
        _namespaceDefaults = namespaceDefaults;
        _eventExpiry = eventExpiry;
        _stopping = stopping;
        BaseAddress = baseAddress;
        Token = token;
        CaPem = caPem;
        KubeconfigPath = kubeconfig;
    }

    public Uri BaseAddress { get; }
    public string? Token { get; }
    public string? CaPem { get; }
    public string? KubeconfigPath { get; }

    /// <summary>The bearer token's file in the data directory (for clients that read a token file, such as Prometheus); null without one.</summary>
    public string? TokenFile => KubeconfigPath is null || Token is null ? null : Path.Combine(Path.GetDirectoryName(KubeconfigPath)!, TokenFileName);

    /// <summary>The CA certificate's file in the data directory; null without one or over plain HTTP.</summary>
    public string? CaFile => KubeconfigPath is null || CaPem is null ? null : Path.Combine(Path.GetDirectoryName(KubeconfigPath)!, CertificateAuthority.CertificateFileName);

    public ObjectStore Store => _store;

    private const string TokenFileName = "token";

    public static async Task<DevClusterServer> StartAsync(DevClusterOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EventTtl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(DevClusterOptions)}.{nameof(DevClusterOptions.EventTtl)} must be positive, not {options.EventTtl}", nameof(options));
        }
        var store = ObjectStore.Open(new StoreOptions { DataDirectory = options.DataDirectory, HistoryWindow = options.HistoryWindow });
        var registry = new ResourceRegistry();
        foreach (var crd in store.Snapshot.Of("apiextensions.k8s.io/customresourcedefinitions").Values)
        {
            registry.RegisterCrd(crd.Name, CrdResourceFactory.FromCrd(crd.Parse()));
        }
        var signal = new ChangeSignal();
        using var ca = options.Secure ? CertificateAuthority.LoadOrCreate(options.DataDirectory) : null;
        var service = new ResourceService(store, registry, signal, options.Time, ca?.CaPem);
        await EnsureDefaultNamespacesAsync(service, ct).ConfigureAwait(false);
        // Namespaces kept from an earlier run get theirs before the server answers (new ones get them as they are created).
        await service.NamespaceDefaults.EnsureAllAsync(ct).ConfigureAwait(false);
        await EnsureBootstrapPolicyAsync(service, ct).ConfigureAwait(false);
        var token = options.Secure ? LoadOrCreateToken(options.DataDirectory) : null;
        var signingKey = TokenSigningKey.LoadOrCreate(options.DataDirectory);
        var tokens = new ServiceAccountTokens(signingKey);
        var policy = new RbacPolicyCache(store);
        var authenticator = new Authenticator(token is null ? null : System.Text.Encoding.UTF8.GetBytes(token), tokens, store, options.Time);
        var handler = new ApiRequestHandler(service,
            new ResourceEndpoint(service, new WatchStreamer(store, options.BookmarkInterval, options.Time), options.Time, policy, tokens, authenticator, options.DataDirectory),
            authenticator, policy);
        var serving = ca?.IssueServingCertificate();
        // appsettings.json is read but not watched: a watcher holds one of the user's 128 inotify instances for the
        // server's whole life (tests start many of these in one process).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (serving is not null)
                {
                    listen.UseHttps(serving);
                }
            });
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var stopping = new CancellationTokenSource();
        var controllers = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RecOperator.DevCluster.Controllers");
        var collector = Task.Run(() => SupervisedLoop.RunAsync("garbage collector", new GarbageCollector(service, signal).RunAsync, controllers, SupervisedLoop.RestartDelay, stopping.Token), CancellationToken.None);
        var disruption = Task.Run(() => SupervisedLoop.RunAsync("disruption controller", new DisruptionController(service, service.Disruptions, options.Time).RunAsync, controllers, SupervisedLoop.RestartDelay, stopping.Token), CancellationToken.None);
        var namespaceDefaults = Task.Run(() => SupervisedLoop.RunAsync("serviceaccounts and root-ca-cert-publisher controllers", service.NamespaceDefaults.RunAsync, controllers,
            SupervisedLoop.RestartDelay, stopping.Token), CancellationToken.None);
        var eventExpiry = Task.Run(() => SupervisedLoop.RunAsync("event expiry (--event-ttl)", new EventExpiry(service, options.EventTtl, options.Time).RunAsync, controllers,
            SupervisedLoop.RestartDelay, stopping.Token), CancellationToken.None);
        signal.Raise();
        string? kubeconfig = null;
        if (options.DataDirectory is not null)
        {
            kubeconfig = Path.Combine(options.DataDirectory, "kubeconfig");
            await KubeconfigWriter.WriteAsync(kubeconfig, KubeconfigWriter.Render(baseAddress, ca?.CaPem, token), ct).ConfigureAwait(false);
        }
        return new DevClusterServer(app, store, collector, disruption, namespaceDefaults, eventExpiry, stopping, signingKey, baseAddress, token, ca?.CaPem, kubeconfig);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _collector, _disruption, _namespaceDefaults, _eventExpiry })
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
        _store.Dispose();
        _stopping.Dispose();
        _signingKey.Dispose();
    }

    /// <summary>The namespaces every cluster has; created once, kept across restarts.</summary>
    private static async Task EnsureDefaultNamespacesAsync(ResourceService service, CancellationToken ct)
    {
        var namespaces = service.Registry.Find("", "v1", "namespaces")!;
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            if (service.Store.Get(namespaces.StorageKey, "", name) is null)
            {
                await service.CreateAsync(namespaces, "", new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } },
                    WriteOptions.Default with { FieldManager = "devcluster" }, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The default ClusterRoles and bindings (<see cref="BootstrapPolicy"/>); created once, kept (and kept as edited) across restarts.</summary>
    private static async Task EnsureBootstrapPolicyAsync(ResourceService service, CancellationToken ct)
    {
        var roles = service.Registry.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!;
        var bindings = service.Registry.Find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")!;
        var objects = BootstrapPolicy.ClusterRoles.Select(r => (roles, r.Metadata!.Name!, System.Text.Json.JsonSerializer.SerializeToNode(r, Kube.KubeJsonContext.Default.V1ClusterRole)))
            .Concat(BootstrapPolicy.ClusterRoleBindings.Select(b => (bindings, b.Metadata!.Name!, System.Text.Json.JsonSerializer.SerializeToNode(b, Kube.KubeJsonContext.Default.V1ClusterRoleBinding))));
        foreach (var (type, name, body) in objects)
        {
            if (service.Store.Get(type.StorageKey, "", name) is null)
            {
                await service.CreateAsync(type, "", body!.AsObject(), WriteOptions.Default with { FieldManager = "devcluster" }, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One token per data directory (in memory without one), so kubeconfigs survive restarts.</summary>
    private static string LoadOrCreateToken(string? directory)
    {
        if (directory is null)
        {
            return s_memoryToken;
        }
        var path = Path.Combine(directory, TokenFileName);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
            PrivateFile.Restrict(path);
        }
        return File.ReadAllText(path).Trim();
    }

    private static readonly string s_memoryToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
