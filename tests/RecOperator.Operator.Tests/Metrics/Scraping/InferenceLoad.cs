using System.Diagnostics;
using System.Text;
using RecOperator.InferencePod.Protocol;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.Operator.Tests.Metrics.Scraping;

/// <summary>
/// Steady open-loop load: one Open Inference Protocol request every period, round-robin over the pods, sent on
/// schedule whether or not the previous ones have answered (as real clients do), so the rate does not drift.
/// </summary>
internal sealed class InferenceLoad(IReadOnlyList<HttpClient> pods, string model, TimeSpan period)
{
    private readonly string _body = Encoding.UTF8.GetString(InferRequestJson.Utf8(ReferenceModelCatalog.Create("dlrm-small").CreateInputs(4, new DeterministicRandom(7))));

    public int Failures { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (long i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var due = period * i - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(SendAsync(pods[(int)(i % pods.Count)]));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendAsync(HttpClient pod)
    {
        try
        {
            using var content = new StringContent(_body, Encoding.UTF8, "application/json");
            using var response = await pod.PostAsync($"/v2/models/{model}/infer", content);
            if (!response.IsSuccessStatusCode)
            {
                Failures++;
            }
        }
        catch (HttpRequestException)
        {
            Failures++;
        }
    }
}
