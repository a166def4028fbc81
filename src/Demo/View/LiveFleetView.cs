using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RecOperator.Demo.View;

/// <summary>The live terminal view: variants x pools with replicas, QPS, p99 against the SLO, cost, and decisions.</summary>
public sealed class LiveFleetView(IAnsiConsole console) : IFleetView
{
    public void Show(FleetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        console.Clear(home: true);
        console.Write(Render(snapshot));
    }

    /// <summary>The frame as a renderable; pure, so it can be tested without a terminal.</summary>
    public static IRenderable Render(FleetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]RecOperator demo[/]  t={snapshot.Elapsed.TotalSeconds:F0}s  phase [yellow]{Markup.Escape(snapshot.Phase)}[/]  load {snapshot.TargetRps:F0} req/s");
        foreach (var column in new[] { "variant", "pool", "ready/replicas", "desired", "QPS", "p99", "weight", "$/h" })
        {
            table.AddColumn(column);
        }
        foreach (var row in snapshot.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Variant), Markup.Escape(row.Pool), $"{row.Ready}/{row.Replicas}", row.Desired.ToString(CultureInfo.InvariantCulture),
                row.Qps is { } q ? q.ToString("F0", CultureInfo.InvariantCulture) : "-",
                P99(row.P99Ms, snapshot.SloMs),
                row.Weight is { } w ? w.ToString("P0", CultureInfo.InvariantCulture) : "-",
                row.CostPerHour.ToString("F2", CultureInfo.InvariantCulture));
        }
        var clients = snapshot.Clients;
        var footer = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"clients: {clients.Qps:F0} req/s, p99 {P99(clients.P99Ms, snapshot.SloMs)} (SLO {snapshot.SloMs:F0} ms), errors {clients.Errors}   fleet: {snapshot.TotalReady}/{snapshot.TotalReplicas} ready, ${snapshot.CostPerHour:F2}/h"));
        var decisions = new Rows(snapshot.Decisions.TakeLast(6).Select(d => (IRenderable)new Markup($"[grey]{Markup.Escape(d)}[/]")));
        var conditions = new Markup(Markup.Escape(string.Join("  ", snapshot.Conditions)));
        return new Rows(table, footer, conditions, new Panel(decisions).Header("last decisions"));
    }

    private static string P99(double? ms, double slo) => ms is not { } v ? "-"
        : v <= slo ? $"[green]{v.ToString("F1", CultureInfo.InvariantCulture)} ms[/]" : $"[red]{v.ToString("F1", CultureInfo.InvariantCulture)} ms[/]";
}
