using RecOperator.Kube.Watching;

namespace RecOperator.Kube.Tests;

public sealed class ListDiffTests
{
    [Fact]
    public void Compute_KnownVersusFresh_ReportsAddedModifiedDeleted()
    {
        var known = new Dictionary<string, (string Key, string Version)>
        {
            ["a"] = ("a", "1"),
            ["b"] = ("b", "2"),
            ["c"] = ("c", "3"),
        };
        (string Key, string Version)[] fresh = [("a", "1"), ("b", "7"), ("d", "8")];

        var changes = ListDiff.Compute<(string Key, string Version)>(known, fresh, o => (o.Key, o.Version));

        changes.Select(c => (c.Type, c.Object.Key)).Should().Equal(
            (WatchEventType.Modified, "b"), (WatchEventType.Added, "d"), (WatchEventType.Deleted, "c"));
    }

    [Fact]
    public void Compute_NothingKnown_EverythingIsAdded() =>
        ListDiff.Compute(new Dictionary<string, string>(), ["x", "y"], o => (o, "1"))
            .Should().OnlyContain(c => c.Type == WatchEventType.Added).And.HaveCount(2);
}
