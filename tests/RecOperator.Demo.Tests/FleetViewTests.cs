using RecOperator.Demo.Load;
using RecOperator.Demo.View;
using Spectre.Console;

namespace RecOperator.Demo.Tests;

public sealed class FleetViewTests
{
    private static FleetSnapshot Snapshot() => new()
    {
        Elapsed = TimeSpan.FromSeconds(42),
        Phase = "step 4x",
        TargetRps = 200,
        SloMs = 25,
        Rows =
        [
            new PlacementRow("cpu-int8", "cpu-spot", 3, 2, 3, 150, 12.5, 0.75, 0.09),
            new PlacementRow("cpu-fp32", "cpu-ondemand", 1, 1, 1, 50, 31, 0.25, 0.12),
        ],
        Clients = new WindowFigures(1000, 4, 198, 14.2),
        Decisions = ["scaled cpu-int8@cpu-spot 2 -> 3: demand 190 QPS"],
        Conditions = ["Ready=True", "SLOAtRisk=False"],
    };

    [Fact]
    public void Render_Snapshot_ShowsEveryPlacementTotalsAndDecisions()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 160;

        console.Write(LiveFleetView.Render(Snapshot()));

        var text = writer.ToString();
        text.Should().Contain("cpu-int8").And.Contain("cpu-spot").And.Contain("2/3").And.Contain("12.5 ms").And.Contain("31.0 ms");
        text.Should().Contain("3/4 ready").And.Contain("$0.21/h").And.Contain("scaled cpu-int8@cpu-spot 2 -> 3");
    }

    [Fact]
    public void Show_PlainView_OneLinePerFrameAndEachDecisionOnce()
    {
        using var writer = new StringWriter();
        var view = new PlainFleetView(writer);

        view.Show(Snapshot());
        view.Show(Snapshot());

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[0].Should().Contain("step 4x").And.Contain("replicas 3/4").And.Contain("cpu-int8@cpu-spot=2/3").And.Contain("p99   14.2 ms");
        lines[1].Should().Contain("decision: scaled cpu-int8@cpu-spot 2 -> 3");
    }
}
