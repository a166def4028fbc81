using RecOperator.Kube.Config;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sa-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Load_ServiceAccountFolder_BuildsHttpsConfigWithRotatingToken()
    {
        using var ca = TestCertificates.Create("cluster-ca", forServer: false);
        await File.WriteAllTextAsync(Path.Combine(_folder, "token"), "t1");
        await File.WriteAllTextAsync(Path.Combine(_folder, "ca.crt"), TestCertificates.CertificatePem(ca));
        await File.WriteAllTextAsync(Path.Combine(_folder, "namespace"), "rec-system\n");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var config = InClusterConfig.Load(_folder, name => env.GetValueOrDefault(name));

        config.Server.Should().Be(new Uri("https://[fd00::1]:443"));
        config.Namespace.Should().Be("rec-system");
        config.CertificateAuthorities!.Single().Subject.Should().Be("CN=cluster-ca");
        (await config.Token!.GetTokenAsync(CancellationToken.None)).Should().Be("t1");
        await File.WriteAllTextAsync(Path.Combine(_folder, "token"), "t2-rotated");
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "token"), DateTime.UtcNow.AddMinutes(1));
        (await config.Token.GetTokenAsync(CancellationToken.None)).Should().Be("t2-rotated");
    }

    [Theory]
    [InlineData(null, "443", "KUBERNETES_SERVICE_HOST")]
    [InlineData("10.0.0.1", null, "KUBERNETES_SERVICE_PORT")]
    [InlineData("10.0.0.1", "https", "KUBERNETES_SERVICE_PORT")]
    public void Load_MissingEnvironment_ErrorNamesVariable(string? host, string? port, string field)
    {
        var env = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = port };

        var act = () => InClusterConfig.Load(_folder, name => env.GetValueOrDefault(name));

        act.Should().Throw<KubeConfigException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Load_NoTokenFile_ErrorNamesTheFile()
    {
        var act = () => InClusterConfig.Load(_folder, name => name == "KUBERNETES_SERVICE_HOST" ? "10.0.0.1" : "443");

        act.Should().Throw<KubeConfigException>().Which.File.Should().Be(Path.Combine(_folder, "token"));
    }

    [Fact]
    public async Task Load_FolderVariableSetAndNoFolderGiven_ReadsTheFolderItNames()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "token"), "pod-token");
        await File.WriteAllTextAsync(Path.Combine(_folder, "namespace"), "team-a");
        var env = new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "6443", [InClusterConfig.FolderVariable] = _folder,
        };

        var config = InClusterConfig.Load(environment: name => env.GetValueOrDefault(name));

        config.Server.Should().Be(new Uri("https://127.0.0.1:6443"));
        config.Namespace.Should().Be("team-a");
        (await config.Token!.GetTokenAsync(CancellationToken.None)).Should().Be("pod-token");
    }

    [Fact]
    public void Load_FolderVariableUnset_LooksInTheStandardMountPath()
    {
        var act = () => InClusterConfig.Load(environment: name => name == "KUBERNETES_SERVICE_HOST" ? "10.0.0.1" : name == "KUBERNETES_SERVICE_PORT" ? "443" : null);

        act.Should().Throw<KubeConfigException>().Which.File.Should().Be("/var/run/secrets/kubernetes.io/serviceaccount/token");
    }
}
