using System.Text.Json.Nodes;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

public sealed class AppliedIntentTests
{
    private static JsonObject Intent(string? extraAnnotation = null)
    {
        var intent = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"d","namespace":"default","labels":{"a":"1","b":"2"},"annotations":{"note":"x"}},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":8080}]}]}}}}
            """)!.AsObject();
        if (extraAnnotation is not null)
        {
            intent["metadata"]!["annotations"]![extraAnnotation] = "y";
        }

        return intent;
    }

    /// <summary>What the server stores after applying the intent: its own fields added, nothing of the intent changed.</summary>
    private static JsonObject Stored(JsonObject stamped)
    {
        var live = (JsonObject)stamped.DeepClone();
        live["metadata"]!["resourceVersion"] = "42";
        live["metadata"]!["labels"]!["team"] = "ranking";
        live["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"] = "TCP";
        live["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"] = "IfNotPresent";
        live["status"] = new JsonObject { ["replicas"] = 2 };
        return live;
    }

    [Fact]
    public void IsHeldBy_LiveObjectWithServerDefaultsAndAnotherWritersLabel_True()
    {
        var stamped = AppliedIntent.Stamp(Intent());

        AppliedIntent.IsHeldBy(stamped, Stored(stamped)).Should().BeTrue();
    }

    [Fact]
    public void Stamp_SameContentInAnotherKeyOrder_SameHash()
    {
        var reordered = JsonNode.Parse("""
            {"kind":"Deployment","apiVersion":"apps/v1",
             "spec":{"template":{"spec":{"containers":[{"image":"i","name":"c","ports":[{"containerPort":8080}]}]}},"replicas":2},
             "metadata":{"annotations":{"note":"x"},"labels":{"b":"2","a":"1"},"namespace":"default","name":"d"}}
            """)!.AsObject();

        Hash(AppliedIntent.Stamp(reordered)).Should().Be(Hash(AppliedIntent.Stamp(Intent())));
    }

    [Fact]
    public void IsHeldBy_IntentDroppedAFieldTheLiveObjectStillHas_False()
    {
        // The older intent set one more annotation: what is left is all still there, but apply would remove it.
        var live = Stored(AppliedIntent.Stamp(Intent(extraAnnotation: "old")));

        AppliedIntent.IsHeldBy(AppliedIntent.Stamp(Intent()), live).Should().BeFalse();
    }

    [Fact]
    public void IsHeldBy_AnotherWriterChangedAFieldOfTheIntent_False()
    {
        var stamped = AppliedIntent.Stamp(Intent());
        var live = Stored(stamped);
        live["spec"]!["replicas"] = 5;

        AppliedIntent.IsHeldBy(stamped, live).Should().BeFalse();
    }

    [Fact]
    public void IsHeldBy_AListGrownByAnotherWriter_False()
    {
        var stamped = AppliedIntent.Stamp(Intent());
        var live = Stored(stamped);
        live["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "sidecar", ["image"] = "s" });

        AppliedIntent.IsHeldBy(stamped, live).Should().BeFalse("a list is compared item by item, so the check cannot tell; it applies");
    }

    [Fact]
    public void IsHeldBy_LiveWithoutTheHashOrNoLiveObject_False()
    {
        var stamped = AppliedIntent.Stamp(Intent());
        var live = Stored(stamped);
        live["metadata"]!["annotations"]!.AsObject().Remove(AppliedIntent.HashAnnotation);

        AppliedIntent.IsHeldBy(stamped, live).Should().BeFalse("written before the operator stamped its intents, or by someone else");
        AppliedIntent.IsHeldBy(stamped, null).Should().BeFalse();
    }

    [Fact]
    public void Stamp_IntentWithoutAnnotations_AddsTheHashAndLeavesTheInputAlone()
    {
        var intent = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""")!.AsObject();

        var stamped = AppliedIntent.Stamp(intent);

        Hash(stamped).Should().MatchRegex("^[0-9a-f]{32}$");
        intent["metadata"]!["annotations"].Should().BeNull();
        Hash(AppliedIntent.Stamp(stamped)).Should().Be(Hash(stamped), "stamping a stamped intent gives the same hash");
    }

    private static string Hash(JsonObject stamped) => (string)stamped["metadata"]!["annotations"]![AppliedIntent.HashAnnotation]!;
}
