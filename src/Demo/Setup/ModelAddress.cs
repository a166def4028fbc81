using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Demo.Setup;

/// <summary>
/// Waits until the model's Service answers through the DevCluster router: the operator has created it, the router has
/// published its port and a pod behind it is ready to serve.
/// </summary>
public static class ModelAddress
{
    public static async Task<Uri> WaitAsync(KubeApiClient client, string ns, string model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var lastProblem = "the model Service does not exist yet";
        try
        {
            while (true)
            {
                var service = await client.For<V1Service>().TryGetAsync(ChildNames.ModelService(model), ns, deadline.Token).ConfigureAwait(false);
                if (service is not null && RouterPorts.Parse(service.Metadata?.Annotations).TryGetValue(PodPorts.HttpName, out var port))
                {
                    var address = new Uri($"http://127.0.0.1:{port}");
                    try
                    {
                        using var ready = await http.GetAsync(new Uri(address, $"/v2/models/{model}/ready"), deadline.Token).ConfigureAwait(false);
                        if (ready.IsSuccessStatusCode)
                        {
                            return address;
                        }
                        lastProblem = $"the router answers {(int)ready.StatusCode} (no ready pod yet)";
                    }
                    catch (HttpRequestException e)
                    {
                        lastProblem = $"the router on port {port} does not answer: {e.Message}";
                    }
                }
                else if (service is not null)
                {
                    lastProblem = "the router has not published a port for the model Service yet";
                }
                await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the model {ns}/{model} did not become reachable within {timeout.TotalSeconds:F0} s: {lastProblem}");
        }
    }
}
