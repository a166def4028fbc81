using RecOperator.DevCluster.NodeAgent;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>A pod process gets the machine's environment (PATH, HOME: the dotnet host needs them) but not its kubeconfig.</summary>
public sealed class LocalProcessTests
{
    [Fact]
    public async Task Start_NodeHasKubeconfigVariable_PodProcessDoesNotSeeItUnlessItsEnvSetsIt()
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("devcluster-localprocess-").FullName, "c.log");
        var before = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", "/node/admin-kubeconfig");
        try
        {
            using var inherited = LocalProcess.Start(["sh", "-c", "echo \"kubeconfig=${KUBECONFIG-none} path=${PATH:+set}\""], new Dictionary<string, string>(), log);
            (await inherited.WaitForExitAsync(CancellationToken.None)).Should().Be(0);
            using var own = LocalProcess.Start(["sh", "-c", "echo \"kubeconfig=$KUBECONFIG\""], new Dictionary<string, string> { ["KUBECONFIG"] = "/pod/own" }, log);
            (await own.WaitForExitAsync(CancellationToken.None)).Should().Be(0);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", before);
        }

        (await File.ReadAllLinesAsync(log)).Should().Equal("kubeconfig=none path=set", "kubeconfig=/pod/own");
        Directory.Delete(Path.GetDirectoryName(log)!, recursive: true);
    }
}
