using System.Net;
using RecOperator.DevCluster.Networking;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>The router opens one listener per Service port, so a listener must not hold scarce per-user resources.</summary>
public sealed class ServicePortListenerTests
{
    [Fact]
    public async Task StartAsync_ManyListeners_HoldNoInotifyInstanceEach()
    {
        // A user has 128 inotify instances by default. Listeners built with the slim web builder watched
        // appsettings.json with one each, and the router stopped opening listeners at about 126 Service ports.
        const int count = 20;
        var before = InotifyInstances();
        var listeners = new List<ServicePortListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners.Add(await ServicePortListener.StartAsync(ListenerProtocol.Http1, null, context =>
                {
                    context.Response.StatusCode = 204;
                    return Task.CompletedTask;
                }, CancellationToken.None));
            }
            var during = InotifyInstances();

            using var http = new HttpClient();
            var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{listeners[^1].Port}/"));
            answer.StatusCode.Should().Be(HttpStatusCode.NoContent, "each listener serves its handler");
            (during - before).Should().BeLessThan(count / 2, "listeners hold no inotify instance (other tests running meanwhile may add a few)");
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    private static int InotifyInstances() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(fd => fd.LinkTarget == "anon_inode:inotify");
}
