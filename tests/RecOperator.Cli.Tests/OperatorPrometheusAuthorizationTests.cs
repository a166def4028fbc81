using RecOperator.Tests.Shared;

namespace RecOperator.Cli.Tests;

/// <summary>
/// <c>recop operator --prometheus-authorization-file</c> as a process: the credential goes to the cluster Prometheus
/// only, so giving it without one is a clear error before anything connects.
/// </summary>
public sealed class OperatorPrometheusAuthorizationTests
{
    [Fact]
    public async Task Operator_AuthorizationFileWithoutPrometheusUrl_ExitsTwoNamingWhatItNeeds()
    {
        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--prometheus-authorization-file", "/run/secrets/prometheus-token");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--prometheus-authorization-file is sent to the cluster Prometheus only: it needs --metrics-source=prometheus --prometheus-url URL");
    }

    [Fact]
    public async Task Operator_AuthorizationFileWithPrometheusUrl_IsAcceptedAndTheConnectionIsNext()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-kubeconfig-{Guid.NewGuid():N}");

        var result = await RecopProcess.RunAsync(RepoPaths.Root, "operator", "--metrics-source", "prometheus", "--prometheus-url", "http://127.0.0.1:9090",
            "--prometheus-authorization-file", "/run/secrets/prometheus-token", "--kubeconfig", missing);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("cannot load the cluster connection", "the authorization setting passed; the missing kubeconfig stops it");
    }
}
