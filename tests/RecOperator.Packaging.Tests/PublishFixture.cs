using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// Runs the build stage's <c>dotnet publish</c> commands once, here, exactly as the Dockerfile writes them but with the
/// output folder redirected to a temporary one; the tests then look for the paths the runtime stages COPY.
/// </summary>
public sealed class PublishFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recop-publish-" + Guid.NewGuid().ToString("N"));

    internal DockerfileDocument Dockerfile { get; } = DockerfileDocument.Parse(File.ReadAllText(RepoPaths.Combine("Dockerfile")));

    /// <summary>The Dockerfile's -o folder of each publish (e.g. /app/publish) and where it went here.</summary>
    internal Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    internal List<(string Command, ProcessResult Result)> Runs { get; } = [];

    public async Task InitializeAsync()
    {
        foreach (var run in Dockerfile.Stage("build").All("RUN").Where(r => r.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)))
        {
            var words = ProcessRunner.Words(run.Arguments).ToList();
            var o = words.IndexOf("-o");
            var local = Path.Combine(_root, Outputs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Outputs[words[o + 1]] = local;
            words[o + 1] = local;
            // Under ./recop's build lock: a test of another project may be building the same CLI (same obj folders) now.
            // --close: MSBuild's reusable worker nodes outlive the publish and must not inherit (and keep) the lock.
            Directory.CreateDirectory(RepoPaths.Combine(".build"));
            var result = await ProcessRunner.RunAsync("flock", ["--close", RepoPaths.Combine(".build", "recop.lock"), .. words], RepoPaths.Root, TimeSpan.FromMinutes(10));
            Runs.Add((run.Arguments, result));
        }
    }

    /// <summary>Where a path inside the build stage (under one of its publish folders) is here, or null if it is elsewhere.</summary>
    internal string? Local(string containerPath)
    {
        foreach (var (output, local) in Outputs)
        {
            var prefix = output.TrimEnd('/');
            if (containerPath == prefix || containerPath.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return local + containerPath[prefix.Length..];
            }
        }

        return null;
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
