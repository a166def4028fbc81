using RecOperator.Operator.Simulation;

namespace RecOperator.Operator.Tests.Simulation;

public sealed class TraceCsvReaderTests
{
    [Fact]
    public void Read_SamplesAndEvents_ParsesBoth()
    {
        var trace = TraceCsvReader.Read("t", "time_s,qps,event\n0,100,\n60,300,pool-down:cpu-spot\n120,,pool-up:cpu-spot\n");

        trace.Samples.Should().Equal(new TraceSample(0, 100), new TraceSample(60, 300));
        trace.Events.Should().Equal(new TraceEvent(60, TraceEventKind.PoolDown, "cpu-spot"), new TraceEvent(120, TraceEventKind.PoolUp, "cpu-spot"));
        trace.QpsAt(30).Should().Be(200);
        trace.QpsAt(1000).Should().Be(300);
    }

    [Theory]
    [InlineData("qps,time_s\n0,1", "header must start with time_s,qps")]
    [InlineData("time_s,qps\n0,abc", "line 2: qps is not a number")]
    [InlineData("time_s,qps\n10,1\n5,1", "line 3: time_s 5 goes back in time")]
    [InlineData("time_s,qps,event\n0,1,explode:gpu", "line 2: event must be pool-down:NAME or pool-up:NAME")]
    [InlineData("time_s,qps\n", "no qps samples")]
    public void Read_BadInput_NamesTheProblem(string csv, string message)
    {
        var act = () => TraceCsvReader.Read("t", csv);

        act.Should().Throw<FormatException>().WithMessage($"*{message}*");
    }
}
