using System.Globalization;
using System.Net;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>Every acknowledged write survives `kill -9` or SIGTERM of the server process, and resourceVersions keep increasing.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("devcluster-durable-").FullName;

    [Fact]
    public async Task KillNine_ThenRestart_KeepsEveryAcknowledgedWrite()
    {
        var acknowledged = new List<(string Name, string Rv)>();
        string ns;
        long lastRv;
        using (var first = await RecopProcess.StartAsync(_dataDirectory))
        {
            var api = new ApiClient(new HttpClient { BaseAddress = first.BaseAddress });
            ns = await api.NewNamespaceAsync();
            for (var i = 0; i < 50; i++)
            {
                var created = await api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap($"cm-{i}"));
                created.Status.Should().Be(HttpStatusCode.Created);
                acknowledged.Add(($"cm-{i}", created.ResourceVersion!));
            }
            var deleted = await api.DeleteAsync($"/api/v1/namespaces/{ns}/configmaps/cm-0");
            deleted.Status.Should().Be(HttpStatusCode.OK);
            lastRv = long.Parse(deleted.ResourceVersion!, CultureInfo.InvariantCulture);
            first.KillHard();
        }

        using var second = await RecopProcess.StartAsync(_dataDirectory);
        var restarted = new ApiClient(new HttpClient { BaseAddress = second.BaseAddress });
        var list = await restarted.GetAsync($"/api/v1/namespaces/{ns}/configmaps");
        var next = await restarted.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("after-restart"));

        var survivors = list.Object["items"]!.AsArray().ToDictionary(i => i!["metadata"]!["name"]!.GetValue<string>(), i => i!["metadata"]!["resourceVersion"]!.GetValue<string>());
        survivors.Should().HaveCount(49);
        survivors.Should().NotContainKey("cm-0");
        foreach (var (name, rv) in acknowledged.Skip(1))
        {
            survivors[name].Should().Be(rv);
        }
        long.Parse(next.ResourceVersion!, CultureInfo.InvariantCulture).Should().BeGreaterThan(lastRv);
    }

    [Fact]
    public async Task Sigterm_ThenRestartOnSameDataDir_ExitsZeroKeepsKubeconfigAndObjects()
    {
        var kubeconfig = Path.Combine(_dataDirectory, "kubeconfig");
        string ns;
        string rv;
        int exitCode;
        using (var first = await RecopProcess.StartAsync(_dataDirectory))
        {
            var api = new ApiClient(new HttpClient { BaseAddress = first.BaseAddress });
            ns = await api.NewNamespaceAsync();
            rv = (await api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("kept"))).ResourceVersion!;
            exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(30));
        }
        var kubeconfigAfterStop = File.Exists(kubeconfig) ? await File.ReadAllTextAsync(kubeconfig) : null;

        using var second = await RecopProcess.StartAsync(_dataDirectory);
        var restarted = new ApiClient(new HttpClient { BaseAddress = second.BaseAddress });
        var kept = await restarted.GetAsync($"/api/v1/namespaces/{ns}/configmaps/kept");

        exitCode.Should().Be(0, "SIGTERM is the ordinary way to stop the server");
        kubeconfigAfterStop.Should().NotBeNull("the kubeconfig stays for the next start").And.Contain("server: http://127.0.0.1:");
        kept.Status.Should().Be(HttpStatusCode.OK);
        kept.ResourceVersion.Should().Be(rv);
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}
