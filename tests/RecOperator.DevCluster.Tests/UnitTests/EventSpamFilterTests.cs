using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.DevCluster.Tests.UnitTests;

public sealed class EventSpamFilterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Allow_PastTheBurstForOneRepeatedOccurrence_RefusesUntilATokenRefills()
    {
        var filter = new EventSpamFilter(_time);
        var pod = Occurrence("web-1", "uid-1");

        Enumerable.Range(0, EventSpamFilter.Burst).Select(_ => filter.Allow(pod, "kubelet")).ToList().Should().AllBeEquivalentTo(true);
        filter.Allow(pod, "kubelet").Should().BeFalse("the burst is spent");
        filter.Allow(Occurrence("web-2", "uid-2"), "kubelet").Should().BeTrue("each object has its own bucket");
        filter.Allow(pod, "default-scheduler").Should().BeTrue("each source has its own bucket");
        filter.Allow(pod with { Note = "Readiness probe failed: other" }, "kubelet").Should().BeTrue("each note has its own, as in client-go's spam key");

        _time.Advance(EventSpamFilter.Refill);
        filter.Allow(pod, "kubelet").Should().BeTrue("one token came back");
        filter.Allow(pod, "kubelet").Should().BeFalse("only one");
    }

    private static EventOccurrence Occurrence(string name, string uid) =>
        new(new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = "ns", Name = name, Uid = uid }, EventRecorder.Warning, "Unhealthy", "Probe", "Readiness probe failed");
}
