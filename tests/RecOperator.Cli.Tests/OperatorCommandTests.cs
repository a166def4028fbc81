using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary>
/// <c>recop operator</c> as a process: a connection it cannot load is a clear error, not a crash; --context picks the
/// kubeconfig context; --log-format json writes one JSON object per line.
/// </summary>
public sealed class OperatorCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recop-operator-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Operator_MissingKubeconfig_ExitsTwoNamingTheProblem()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-kubeconfig-{Guid.NewGuid():N}");

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--kubeconfig", missing);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("cannot load the cluster connection").And.Contain(missing);
    }

    [Fact]
    public async Task Operator_HealthPortOutOfRange_ExitsTwo()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--health-port", "70000");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--health-port");
    }

    [Fact]
    public async Task Operator_NoContextOption_UsesCurrentContextAndReportsItsBadField()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--kubeconfig", WriteKubeconfig(UnusedPort()));

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("cannot load the cluster connection").And.Contain("server");
    }

    [Fact]
    public async Task Operator_UnknownContext_ExitsTwoNamingIt()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--kubeconfig", WriteKubeconfig(UnusedPort()), "--context", "staging");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("contexts: has no entry named 'staging'");
    }

    [Fact]
    public async Task Operator_ContextAndJsonLogFormat_ConnectsToThatContextAndLogsOneJsonObjectPerLine()
    {
        var port = UnusedPort();

        // The named context's server is unreachable: the informers' failed lists are logged (with backoff), not fatal.
        var lines = await RecopProcess.RunUntilAsync(RepoPaths.Root, seen => seen.Any(MentionsPort(port)),
            "operator", "--kubeconfig", WriteKubeconfig(port), "--context", "local", "--log-format", "json", "--health-port", "0");

        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        entries.Should().OnlyContain(e => e.ValueKind == JsonValueKind.Object);
        entries.Select(e => e.EnumerateObject().Select(p => p.Name)).Should().OnlyContain(names => names.Contains("LogLevel") && names.Contains("Category"));
        var failedList = entries.Last();
        failedList.GetProperty("State").GetProperty("Kind").GetString().Should().NotBeNullOrEmpty("structured fields are JSON properties, not only text");
        failedList.GetProperty("State").TryGetProperty("Backoff", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Operator_TextLogFormat_WritesPlainLines()
    {
        var port = UnusedPort();

        var lines = await RecopProcess.RunUntilAsync(RepoPaths.Root,
            seen => seen.Any(l => l.Contains($"127.0.0.1:{port}", StringComparison.Ordinal) && l.Contains("retrying in", StringComparison.Ordinal))
                && seen.Any(l => l.Contains("serving /healthz", StringComparison.Ordinal)),
            "operator", "--kubeconfig", WriteKubeconfig(port), "--context", "local", "--health-port", "0");

        lines.Should().Contain(l => l.Contains("warn:", StringComparison.Ordinal) && l.Contains("retrying in", StringComparison.Ordinal));
        // --health-port 0 lets the system choose: the log says which port it chose.
        lines.Should().ContainMatch("*serving /healthz, /readyz and /metrics on port *").Which.Should().NotEndWith("port 0");
        lines.Should().NotContain(l => l.TrimStart().StartsWith('{'));
    }

    [Fact]
    public async Task Operator_UnknownLogFormat_ExitsTwo()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--log-format", "xml");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--log-format must be text or json");
    }

    // current-context "broken" has a server that is not a URL; "local" points at a loopback port nothing listens on.
    private string WriteKubeconfig(int port)
    {
        var path = Path.Combine(_folder, "config");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: broken
            contexts:
            - {"{"}name: broken, context: {"{"}cluster: broken, user: u{"}"}{"}"}
            - {"{"}name: local, context: {"{"}cluster: local, user: u{"}"}{"}"}
            clusters:
            - {"{"}name: broken, cluster: {"{"}server: "not a url"{"}"}{"}"}
            - {"{"}name: local, cluster: {"{"}server: "http://127.0.0.1:{port}"{"}"}{"}"}
            users:
            - {"{"}name: u, user: {"{"}token: t{"}"}{"}"}
            """);
        return path;
    }

    private static Func<string, bool> MentionsPort(int port) =>
        line => line.StartsWith('{') && line.Contains($"127.0.0.1:{port}", StringComparison.Ordinal) && line.Contains("retrying in", StringComparison.Ordinal);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
