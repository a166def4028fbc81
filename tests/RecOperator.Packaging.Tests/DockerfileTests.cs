using System.Text.RegularExpressions;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// The Dockerfile's structure, checked without a Docker engine: targets, pinned bases, non-root users, and that the
/// publish it runs works here and yields every path the runtime stages copy and start.
/// </summary>
public sealed partial class DockerfileTests(PublishFixture publish) : IClassFixture<PublishFixture>
{
    public static TheoryData<string> RuntimeTargets => ["operator", "recpod", "recpod-gpu"];

    private DockerfileDocument Dockerfile => publish.Dockerfile;

    [Fact]
    public void Stages_Dockerfile_HasBuildAndEveryRuntimeTarget()
    {
        Dockerfile.Stages.Select(s => s.Name).Should().Contain(["build", "ort-cpu", "ort-gpu", "operator", "recpod", "recpod-gpu"]);
    }

    [Fact]
    public void From_EveryStage_IsAnEarlierStageOrAnImagePinnedToAVersionTag()
    {
        var earlier = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in Dockerfile.Stages)
        {
            if (!earlier.Contains(stage.BaseImage))
            {
                stage.BaseImage.Should().NotContain("$", $"stage {stage.Name} (line {stage.Line}) must name its base literally");
                PinnedImage().IsMatch(stage.BaseImage).Should().BeTrue(
                    $"stage {stage.Name} (line {stage.Line}) uses '{stage.BaseImage}': base images need an exact version tag, never latest or none");
            }

            earlier.Add(stage.Name);
        }
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled", true)]
    [InlineData("nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04", true)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:latest", false)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet", false)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0", false)]
    [InlineData("node:lts-slim", false)]
    public void PinnedImage_Reference_AcceptsOnlyExactVersions(string image, bool pinned)
    {
        PinnedImage().IsMatch(image).Should().Be(pinned);
    }

    [Theory]
    [MemberData(nameof(RuntimeTargets))]
    public void User_RuntimeTarget_IsNumericAndNotRoot(string target)
    {
        var user = Dockerfile.Stage(target).Last("USER");
        user.Should().NotBeNull($"{target} must switch to a non-root user");
        // A numeric UID lets the kubelet verify runAsNonRoot; a name cannot be checked and the pod is refused.
        int.TryParse(user!.Arguments.Split(':')[0], out var uid).Should().BeTrue($"{target}'s USER '{user.Arguments}' must be numeric");
        uid.Should().BePositive();
    }

    [Fact]
    public void Publish_DockerfileCommands_SucceedHere()
    {
        publish.Runs.Should().NotBeEmpty("the build stage must run dotnet publish");
        foreach (var (command, result) in publish.Runs)
        {
            result.ExitCode.Should().Be(0, $"`{command}` failed:\n{result}");
        }
    }

    [Theory]
    [MemberData(nameof(RuntimeTargets))]
    public void CopyFromBuild_RuntimeTarget_EverySourceIsInThePublishOutput(string target)
    {
        var copies = Dockerfile.Stage(target).All("COPY").Where(c => c.Flag("from") == "build").ToList();
        copies.Should().NotBeEmpty();
        foreach (var copy in copies)
        {
            foreach (var source in copy.Operands().SkipLast(1))
            {
                var local = publish.Local(source);
                local.Should().NotBeNull($"line {copy.Line} copies {source}, which no dotnet publish in the build stage writes");
                Path.Exists(local).Should().BeTrue($"line {copy.Line} copies {source}, missing from the publish output ({local})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RuntimeTargets))]
    public void Entrypoint_RuntimeTarget_StartsAPublishedAssembly(string target)
    {
        var stage = Dockerfile.Stage(target);
        var entrypoint = stage.Last("ENTRYPOINT")!.ExecForm();
        entrypoint.Should().HaveCount(2, "the exec form runs `dotnet <assembly>` so signals reach the process");
        var assembly = entrypoint[1];
        var copy = stage.All("COPY").Single(c => c.Flag("from") == "build");
        var (source, destination) = (copy.Operands()[0].TrimEnd('/'), copy.Operands()[^1].TrimEnd('/'));
        assembly.Should().StartWith(destination + "/");
        File.Exists(publish.Local(source + assembly[destination.Length..])).Should().BeTrue($"{target} starts {assembly}");
    }

    [Theory]
    [InlineData("recpod", "pod")]
    [InlineData("recpod-gpu", "pod")]
    public async Task Cmd_PodTargets_IsACommandOfThePublishedCli(string target, string command)
    {
        Dockerfile.Stage(target).Last("CMD")!.ExecForm().Should().Equal(command);
        var dll = publish.Local("/app/publish/recop.dll")!;
        var help = await ProcessRunner.RunAsync("dotnet", [dll, command, "--help"], RepoPaths.Root, TimeSpan.FromMinutes(1));
        help.ExitCode.Should().Be(0, help.ToString());
        help.StandardOutput.Should().Contain("--model-name");
    }

    [Fact]
    public void OrtCpu_RecpodTarget_CopiesTheLibraryTheSetupScriptInstalls()
    {
        var stage = Dockerfile.Stage("ort-cpu");
        stage.All("RUN").Should().ContainSingle(r => r.Arguments == "bash scripts/setup-onnxruntime.sh --native-only");
        var script = File.ReadAllText(RepoPaths.Combine("scripts", "setup-onnxruntime.sh"));
        var dest = DestinationVariable().Match(script);
        dest.Success.Should().BeTrue("the setup script names its destination");
        var installed = $"{stage.Last("WORKDIR")!.Arguments}/{dest.Groups[1].Value}/libonnxruntime.so.1";

        var copy = Dockerfile.Stage("recpod").All("COPY").Single(c => c.Flag("from") == "ort-cpu");
        copy.Operands()[0].Should().Be(installed);
        // The same script ran here (scripts/setup.sh), so the file it writes is where the stage will find it.
        File.Exists(RepoPaths.Combine(dest.Groups[1].Value, "libonnxruntime.so.1")).Should().BeTrue();
    }

    [Fact]
    public void Publish_Cli_CarriesTheNativeEngineTheSetupScriptInstalled()
    {
        // src/Onnx copies .native/onnxruntime/libonnxruntime.so.1 into every build and publish output, so
        // `dotnet publish` alone yields a CLI whose binding finds the engine in the app folder.
        var installed = RepoPaths.Combine(".native", "onnxruntime", "libonnxruntime.so.1");
        var published = publish.Local("/app/publish/libonnxruntime.so.1")!;

        File.Exists(published).Should().BeTrue($"dotnet publish of the CLI must carry libonnxruntime.so.1 ({published})");
        Sha256Of(published).Should().Be(Sha256Of(installed), "the published library is the one the setup script checked");
    }

    [Fact]
    public async Task OrtCpu_Library_NeedsOnlyWhatTheChiseledRuntimeShips()
    {
        // The chiseled .NET images carry glibc, libgcc and libstdc++ and nothing else (no libgomp, no libz).
        string[] shipped = ["libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "ld-linux-x86-64.so.2", "libstdc++.so.6", "libgcc_s.so.1"];
        Dockerfile.Stage("recpod").BaseImage.Should().Contain("chiseled");
        var elf = await ProcessRunner.RunAsync("readelf", ["-d", RepoPaths.Combine(".native", "onnxruntime", "libonnxruntime.so.1")], RepoPaths.Root, TimeSpan.FromMinutes(1));
        elf.ExitCode.Should().Be(0, elf.ToString());
        var needed = NeededLibrary().Matches(elf.StandardOutput).Select(m => m.Groups[1].Value).ToList();
        needed.Should().NotBeEmpty().And.OnlyContain(n => shipped.Contains(n));
    }

    [Fact]
    public void RecpodGpu_Libraries_LandWhereOrtLibraryPathPoints()
    {
        var stage = Dockerfile.Stage("recpod-gpu");
        stage.BaseImage.Should().StartWith("nvidia/cuda:").And.Contain("cudnn-runtime");
        var copy = stage.All("COPY").Single(c => c.Flag("from") == "ort-gpu");
        var env = string.Join(' ', stage.All("ENV").Select(e => e.Arguments));
        env.Should().Contain($"ORT_LIBRARY_PATH={copy.Operands()[^1].TrimEnd('/')}");
        Dockerfile.Stage("ort-gpu").All("RUN").Should().Contain(r => r.Arguments.Contains(copy.Operands()[0].TrimEnd('/') + "/libonnxruntime_providers_cuda.so", StringComparison.Ordinal));
    }

    [Fact]
    public void CopyFromContext_EverySource_ExistsAndIsNotDockerignored()
    {
        var ignored = File.ReadAllLines(RepoPaths.Combine(".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Replace("**/", "", StringComparison.Ordinal).TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);
        var copies = Dockerfile.Stages.SelectMany(s => s.All("COPY")).Where(c => c.Flag("from") is null).ToList();
        copies.Should().NotBeEmpty();
        foreach (var source in copies.SelectMany(c => c.Operands().SkipLast(1)))
        {
            Path.Exists(RepoPaths.Combine(source.TrimEnd('/'))).Should().BeTrue($"the build context has no {source}");
            ignored.Should().NotContain(source.TrimEnd('/').Split('/')[0], $".dockerignore hides {source}");
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    // registry/path:tag where the tag starts with a full version (major.minor.patch), optionally pinned by digest too.
    [GeneratedRegex(@"^[a-z0-9.\-/]+:\d+\.\d+\.\d+[A-Za-z0-9._\-]*(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLibrary();

    [GeneratedRegex(@"^DEST_DIR=([^\s]+)$", RegexOptions.Multiline)]
    private static partial Regex DestinationVariable();
}
