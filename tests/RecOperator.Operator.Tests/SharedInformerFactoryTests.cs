using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

/// <summary>One informer per kind, namespace and field selector; <see cref="SharedInformerFactory.Covering{T}"/> reuses a wider one.</summary>
public sealed class SharedInformerFactoryTests : FakeServerTest
{
    private const string Selector = "status.phase!=Succeeded";

    [Fact]
    public async Task For_FieldSelector_ItsOwnInformerThatListsAndWatchesWithIt()
    {
        ConfigMaps.Seed("a");
        var factory = new SharedInformerFactory(Client, NullLoggerFactory.Instance);

        var selected = factory.For<V1ConfigMap>("default", "metadata.name=a");
        var run = selected.RunAsync(Stopping);
        await Eventually.Until(() => selected.HasSynced && Server.Requests.Any(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)));

        factory.For<V1ConfigMap>("default", "metadata.name=a").Should().BeSameAs(selected);
        factory.For<V1ConfigMap>("default").Should().NotBeSameAs(selected);
        Server.Requests.Where(r => r.PathAndQuery.StartsWith(ConfigMapsPath, StringComparison.Ordinal))
            .Should().OnlyContain(r => r.PathAndQuery.Contains("fieldSelector=metadata.name%3Da", StringComparison.Ordinal));
        await StopBackgroundWorkAsync();
        await run;
    }

    // Scopes read "namespace/selector": * is every namespace, - no selector, S the selector asked for.
    [Theory]
    [InlineData(new[] { "*/-" }, "*/S", 0)] // every pod of every namespace holds the selected ones
    [InlineData(new[] { "*/S" }, "*/S", 0)] // the same scope
    [InlineData(new[] { "*/-", "*/S" }, "*/S", 1)] // the same scope before a wider one
    [InlineData(new[] { "*/S", "team-a/-" }, "team-a/S", 1)] // the same namespace before every namespace
    [InlineData(new[] { "*/-" }, "team-a/-", 0)] // every namespace covers one
    [InlineData(new[] { "team-a/-" }, "*/S", -1)] // one namespace does not cover every namespace
    [InlineData(new[] { "*/status.phase=Running" }, "*/S", -1)] // another selector is no superset
    public void Covering_ExistingInformers_ReturnsTheMostSpecificThatHoldsEveryObjectAskedFor(string[] existingScopes, string asked, int expected)
    {
        var factory = new SharedInformerFactory(Client, NullLoggerFactory.Instance);
        var existing = existingScopes.Select(scope => Create(factory, scope)).ToList();
        var (ns, selector) = Parse(asked);

        var covering = factory.Covering<V1Pod>(ns, selector);

        if (expected >= 0)
        {
            covering.Should().BeSameAs(existing[expected]);
            factory.Informers.Should().HaveCount(existing.Count, "no informer was added");
        }
        else
        {
            existing.Should().NotContain(covering);
            factory.For<V1Pod>(ns, selector).Should().BeSameAs(covering, "a new informer of exactly the scope asked for");
        }
    }

    private static SharedInformer<V1Pod> Create(SharedInformerFactory factory, string scope)
    {
        var (ns, selector) = Parse(scope);
        return factory.For<V1Pod>(ns, selector);
    }

    private static (string? Namespace, string? FieldSelector) Parse(string scope)
    {
        var (ns, selector) = (scope.Split('/', 2)[0], scope.Split('/', 2)[1]);
        return (ns == "*" ? null : ns, selector switch { "-" => null, "S" => Selector, _ => selector });
    }
}
