using System.Text.Json.Nodes;
using RecOperator.DevCluster.Lifecycle;

namespace RecOperator.DevCluster.Tests.UnitTests;

public sealed class EventExpiryTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-05-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    [Fact]
    public void IsExpired_NothingWrittenForTheTtl_IsExpired()
    {
        var ev = Event();

        EventExpiry.IsExpired(ev, Created + Ttl - TimeSpan.FromSeconds(1), Ttl).Should().BeFalse();
        EventExpiry.IsExpired(ev, Created + Ttl, Ttl).Should().BeTrue();
    }

    [Theory]
    [InlineData("series", "lastObservedTime")]
    [InlineData(null, "lastTimestamp")]
    [InlineData(null, "eventTime")]
    public void IsExpired_ALaterOccurrenceCounted_LivesATtlFromIt(string? parent, string field)
    {
        var later = (Created + TimeSpan.FromMinutes(50)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var ev = Event();
        if (parent is null)
        {
            ev[field] = later;
        }
        else
        {
            ev[parent] = new JsonObject { ["count"] = 2, [field] = later };
        }

        EventExpiry.IsExpired(ev, Created + Ttl + TimeSpan.FromMinutes(10), Ttl).Should().BeFalse("written 20 minutes ago");
        EventExpiry.IsExpired(ev, Created + Ttl + TimeSpan.FromMinutes(50), Ttl).Should().BeTrue();
    }

    [Fact]
    public void IsExpired_NoTimestampAtAll_IsKept()
    {
        EventExpiry.IsExpired(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } }, Created + (Ttl * 10), Ttl).Should().BeFalse();
    }

    private static JsonObject Event() => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "web.1", ["creationTimestamp"] = "2026-05-01T10:00:00Z" },
        ["reason"] = "Started",
    };
}
