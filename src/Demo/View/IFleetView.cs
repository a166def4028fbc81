namespace RecOperator.Demo.View;

/// <summary>Where the demo shows its frames: a live terminal table, or plain log lines (--no-tui, CI).</summary>
public interface IFleetView
{
    void Show(FleetSnapshot snapshot);
}
