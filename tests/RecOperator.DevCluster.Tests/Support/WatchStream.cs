using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>Reads a watch stream line by line until enough events arrived, the server closed it, or a deadline.</summary>
public static class WatchStream
{
    public sealed record Event(string Type, JsonObject Object)
    {
        public string? Name => Resources.JsonTree.GetString(Object, "metadata.name");
    }

    public static async Task<List<Event>> CollectAsync(HttpClient http, string path, int count, TimeSpan? deadline = null)
    {
        var events = new List<Event>();
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        using var reader = new StreamReader(stream);
        while (events.Count < count)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line is null)
            {
                break;
            }
            var node = JsonNode.Parse(line)!;
            events.Add(new Event(node["type"]!.GetValue<string>(), node["object"]!.AsObject()));
        }
        return events;
    }
}
