using System.CommandLine;
using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Server;
using RecOperator.Onnx;

namespace RecOperator.Cli.Commands;

/// <summary>
/// <c>recop pod --model-name M --variant V --artifact PATH_OR_URI ...</c>: runs an inference pod. Every option can also
/// come from its RECPOD_* environment variable (what the operator sets); an option given on the command line wins.
/// </summary>
internal static class PodCommand
{
    public static Command Create()
    {
        var text = new Dictionary<PodSetting, Option<string?>>();
        var numbers = new Dictionary<PodSetting, Option<int?>>();
        PodSetting[] textSettings =
        [
            PodSettings.ModelName, PodSettings.Variant, PodSettings.Artifact, PodSettings.Sha256, PodSettings.ArtifactCa, PodSettings.CacheDirectory,
            PodSettings.BindAddress, PodSettings.ExecutionProvider, PodSettings.ExecutionProviderLibrary, PodSettings.UserInputs,
        ];
        PodSetting[] numberSettings =
        [
            PodSettings.HttpPort, PodSettings.GrpcPort, PodSettings.DeviceId, PodSettings.IntraOpThreads, PodSettings.MaxBatchSize, PodSettings.MaxQueueDelayMicros,
            PodSettings.MaxQueueRequests, PodSettings.Workers, PodSettings.RequestTimeoutMs, PodSettings.MaxMessageBytes,
            PodSettings.MaxRowsPerRequest, PodSettings.WarmupRuns, PodSettings.DrainDelayMs, PodSettings.ShutdownGraceSeconds,
        ];
        var command = new Command("pod", "Serve one model variant over the Open Inference Protocol v2 (REST and gRPC) with dynamic batching");
        foreach (var setting in textSettings)
        {
            text[setting] = new Option<string?>(setting.Option) { Description = setting.HelpLine };
            command.Options.Add(text[setting]);
        }
        foreach (var setting in numberSettings)
        {
            numbers[setting] = new Option<int?>(setting.Option) { Description = setting.HelpLine };
            command.Options.Add(numbers[setting]);
        }
        var reuse = new Option<bool?>(PodSettings.UserSideReuse.Option) { Description = PodSettings.UserSideReuse.HelpLine };
        command.Options.Add(reuse);
        command.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var options = PodEnvironment.Apply(new PodOptions(), PodEnvironment.Current(), errors);
            string? Text(PodSetting s) => parse.GetValue(text[s]);
            int? Number(PodSetting s) => parse.GetValue(numbers[s]);
            options = options with
            {
                ModelName = Text(PodSettings.ModelName) ?? options.ModelName,
                Variant = Text(PodSettings.Variant) ?? options.Variant,
                Artifact = Text(PodSettings.Artifact) ?? options.Artifact,
                Sha256 = Text(PodSettings.Sha256)?.ToLowerInvariant() ?? options.Sha256,
                ArtifactCaFile = Text(PodSettings.ArtifactCa) ?? options.ArtifactCaFile,
                CacheDirectory = Text(PodSettings.CacheDirectory) ?? options.CacheDirectory,
                BindAddress = Text(PodSettings.BindAddress) ?? options.BindAddress,
                ExecutionProvider = Text(PodSettings.ExecutionProvider) ?? options.ExecutionProvider,
                HttpPort = Number(PodSettings.HttpPort) ?? options.HttpPort,
                GrpcPort = Number(PodSettings.GrpcPort) ?? options.GrpcPort,
                ExecutionProviderLibrary = Text(PodSettings.ExecutionProviderLibrary) ?? options.ExecutionProviderLibrary,
                DeviceId = Number(PodSettings.DeviceId) ?? options.DeviceId,
                IntraOpThreads = Number(PodSettings.IntraOpThreads) ?? options.IntraOpThreads,
                MaxBatchSize = Number(PodSettings.MaxBatchSize) ?? options.MaxBatchSize,
                MaxQueueDelayMicros = Number(PodSettings.MaxQueueDelayMicros) ?? options.MaxQueueDelayMicros,
                MaxQueueRequests = Number(PodSettings.MaxQueueRequests) ?? options.MaxQueueRequests,
                Workers = Number(PodSettings.Workers) ?? options.Workers,
                RequestTimeoutMs = Number(PodSettings.RequestTimeoutMs) ?? options.RequestTimeoutMs,
                MaxMessageBytes = Number(PodSettings.MaxMessageBytes) ?? options.MaxMessageBytes,
                MaxRowsPerRequest = Number(PodSettings.MaxRowsPerRequest) ?? options.MaxRowsPerRequest,
                WarmupRuns = Number(PodSettings.WarmupRuns) ?? options.WarmupRuns,
                DrainDelayMs = Number(PodSettings.DrainDelayMs) ?? options.DrainDelayMs,
                ShutdownGraceSeconds = Number(PodSettings.ShutdownGraceSeconds) ?? options.ShutdownGraceSeconds,
                UserSideReuse = parse.GetValue(reuse) ?? options.UserSideReuse,
                UserInputs = PodSettingLists.Split(Text(PodSettings.UserInputs)) ?? options.UserInputs,
            };
            errors.AddRange(PodOptionsValidator.Validate(options));
            var error = parse.InvocationConfiguration.Error;
            if (errors.Count > 0)
            {
                await error.WriteLineAsync("pod: invalid configuration: " + string.Join("; ", errors)).ConfigureAwait(false);
                return 2;
            }
            try
            {
                await using var server = await PodServer.StartAsync(options, OrtEngine.Create(), cancellationToken: ct).ConfigureAwait(false);
                // SIGTERM reaches the host (drain, then stop) and this token alike; wait for the host, not the token.
                await server.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
                return 0;
            }
            catch (Exception failure) when (failure is ArtifactException or PodConfigurationException or ServingWarmupException or OrtLibraryNotFoundException
                or OrtException or ExecutionProviderException or IOException or InvalidDataException)
            {
                await error.WriteLineAsync($"pod: {failure.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
