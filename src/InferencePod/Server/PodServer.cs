using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Batching;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.GrpcApi;
using RecOperator.InferencePod.Model;
using RecOperator.Observability;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// The inference pod: checks its settings, fetches and verifies the artifact, loads and warms the model, then opens
/// the REST (HTTP/1.1) and gRPC (HTTP/2 cleartext) ports and reports ready. Stopping drains (see <see cref="DrainService"/>).
/// </summary>
public sealed partial class PodServer : IAsyncDisposable
{
    /// <summary>Meters exported at /metrics besides the pod's own: the runtime's and Kestrel's.</summary>
    public static readonly string[] ExportedMeters =
        [PodMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting"];

    private readonly WebApplication _app;
    private readonly DynamicBatcher _batcher;
    private readonly ServedModel _model;
    private readonly PrometheusTextExporter _exporter;

    private PodServer(WebApplication app, DynamicBatcher batcher, ServedModel model, PrometheusTextExporter exporter, PodState state)
    {
        _app = app;
        _batcher = batcher;
        _model = model;
        _exporter = exporter;
        State = state;
    }

    public PodState State { get; }

    public int HttpPort { get; private set; }

    public int GrpcPort { get; private set; }

    /// <summary>Requests the pod sent its own REST and gRPC ports before it reported ready (<see cref="ServingWarmup"/>).</summary>
    public int WarmupRequests { get; private set; }

    public ServedModel Model => _model;

    /// <param name="configureLogging">Replaces the JSON console logging (tests keep their output quiet).</param>
    public static async Task<PodServer> StartAsync(PodOptions options, IInferenceEngine engine, Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        var errors = PodOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new PodConfigurationException(errors);
        }
        var state = new PodState();
        var app = Build(options, state, configureLogging);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<PodServer>();
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        var exporter = new PrometheusTextExporter(new PrometheusExporterOptions { MeterNames = ExportedMeters },
            meter => meter.Scope is null || ReferenceEquals(meter.Scope, meterFactory));
        ServedModel? model = null;
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var http = ArtifactHttpClient.Create(options.ArtifactCaFile, TimeSpan.FromMinutes(10));
            var fetcher = new ArtifactFetcher(http, options.CacheDirectory, ObjectStoreSettings.FromEnvironment(Environment.GetEnvironmentVariable));
            var path = await fetcher.FetchAsync(options.Artifact, options.Sha256, cancellationToken).ConfigureAwait(false);
            var userModelPath = SplitReference.Read(path) is { } split
                ? await fetcher.FetchCompanionAsync(options.Artifact, path, split.UserModelFile, split.UserModelSha256, cancellationToken).ConfigureAwait(false)
                : null;
            model = ModelLoader.Load(engine, path, options, cancellationToken, userModelPath);
            if (model.RowMixing is { } rowMixing)
            {
                LogNotRowWise(logger, options.ModelName, rowMixing);
            }
            var loadSeconds = ModelLoader.SecondsSince(started);
            DynamicBatcher? batcher = null;
            var metrics = new PodMetrics(meterFactory, options.ModelName, options.Variant, () => batcher?.QueueDepth ?? 0, state);
            metrics.InitializeSeries(exporter);
            metrics.ModelLoaded(loadSeconds);
            batcher = new DynamicBatcher(model, new BatchingOptions(options.MaxBatchSize, TimeSpan.FromTicks(options.MaxQueueDelayMicros * 10L),
                options.MaxQueueRequests, options.Workers), metrics);
            var service = new InferenceService(model, batcher, metrics, state, options);
            RestFallback.Use(app);
            RestEndpoints.Map(app, service, exporter);
            GrpcEndpoints.Map(app, service);
            GrpcEndpoints.AnswerUnknownMethods(app);
            var server = new PodServer(app, batcher, model, exporter, state);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            server.ReadPorts(options);
            state.BeginWarmup();
            server.WarmupRequests = await ServingWarmup.RunAsync(model, options.BindAddress, server.HttpPort, server.GrpcPort, options.WarmupRuns, cancellationToken)
                .ConfigureAwait(false);
            state.MarkReady();
            LogReady(logger, options.ModelName, options.Variant, server.HttpPort, server.GrpcPort, options.ExecutionProvider, options.DeviceId, loadSeconds,
                model.Batchable, model.TileUserInputs, server.WarmupRequests);
            return server;
        }
        catch
        {
            model?.Dispose();
            exporter.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static WebApplication Build(PodOptions options, PodState state, Action<ILoggingBuilder>? configureLogging)
    {
        // The pod's settings come from its flags and environment, read once; an appsettings.json is read at start-up
        // too, but not watched: reloading would keep a file-system watcher (a thread and an inotify handle) on the
        // working directory for the pod's whole life.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
            // Per-request framework logs would dominate at serving rates; the pod's own events and warnings stay.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // Whenever this category is enabled at any level, ASP.NET Core starts an Activity and pushes a log scope for
            // every request, which the pod paid for without logging anything per request. It only logs request
            // start and finish (Information) and start-up failures, which reach StartAsync's caller as exceptions anyway.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
        else
        {
            configureLogging(builder.Logging);
        }
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPool.Factory>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownGraceSeconds));
        builder.Services.AddSingleton(state);
        builder.Services.AddHostedService(s => new DrainService(state, TimeSpan.FromMilliseconds(options.DrainDelayMs),
            TimeSpan.FromSeconds(options.ShutdownGraceSeconds), s.GetRequiredService<ILogger<DrainService>>()));
        var address = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Bodies are size-checked by the endpoints with a protocol-specific answer; Kestrel's cap is a backstop.
            kestrel.Limits.MaxRequestBodySize = options.MaxMessageBytes + 64L * 1024;
            kestrel.Listen(address, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(address, options.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        return builder.Build();
    }

    private void ReadPorts(PodOptions options)
    {
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port).ToArray();
        // Kestrel lists endpoints in the order they were configured: REST first, then gRPC.
        HttpPort = options.HttpPort != 0 ? options.HttpPort : addresses[0];
        GrpcPort = options.GrpcPort != 0 ? options.GrpcPort : addresses[^1];
    }

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Drains and stops, as SIGTERM does.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _model.Dispose();
        _exporter.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "ready: model {Model} variant {Variant} on http {HttpPort} grpc {GrpcPort}; provider {ExecutionProvider} device {DeviceId}; loaded in {LoadSeconds:F2} s; batchable {Batchable}; user inputs tiled {Tiled}; serving path warmed by {WarmupRequests} requests")]
    private static partial void LogReady(ILogger logger, string model, string variant, int httpPort, int grpcPort, string executionProvider, int deviceId,
        double loadSeconds, bool batchable, bool tiled, int warmupRequests);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "model {Model} is not row-wise, so requests are never joined and each runs alone: {Reason}")]
    private static partial void LogNotRowWise(ILogger logger, string model, string reason);
}
