using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

public sealed class ResourceClientTests : FakeServerTest
{
    protected override string? Token => "t0ken";

    [Fact]
    public async Task GetAsync_ExistingObject_ReturnsTypedObjectWithBearerToken()
    {
        ConfigMaps.Seed("settings", new JsonObject { ["mode"] = "fast" });

        var map = await Client.For<V1ConfigMap>().GetAsync("settings");

        map.Data!["mode"].Should().Be("fast");
        map.Metadata!.ResourceVersion.Should().NotBeNull();
        Server.Requests.Last().Authorization.Should().Be("Bearer t0ken");
    }

    [Fact]
    public async Task GetAsync_Missing_ThrowsNotFoundWithStatus()
    {
        var act = () => Client.For<V1ConfigMap>().GetAsync("nope");

        var error = (await act.Should().ThrowAsync<KubeNotFoundException>()).Which;
        error.Status.Reason.Should().Be("NotFound");
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Client.For<V1ConfigMap>().TryGetAsync("nope")).Should().BeNull();
    }

    [Fact]
    public async Task CreateAsync_Twice_SecondThrowsAlreadyExists()
    {
        var configMaps = Client.For<V1ConfigMap>();
        var created = await configMaps.CreateAsync(new V1ConfigMap { Metadata = new() { Name = "a" }, Data = new Dictionary<string, string> { ["k"] = "v" } });

        created.Metadata!.Uid.Should().NotBeNullOrEmpty();
        Server.Requests.Last().PathAndQuery.Should().Be(ConfigMapsPath);
        await FluentActions.Invoking(() => configMaps.CreateAsync(created with { Metadata = new() { Name = "a" } }))
            .Should().ThrowAsync<KubeAlreadyExistsException>();
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_ThrowsConflictAndRetryWithFreshReadSucceeds()
    {
        ConfigMaps.Seed("counter", new JsonObject { ["n"] = "1" });
        var configMaps = Client.For<V1ConfigMap>();
        var stale = await configMaps.GetAsync("counter");
        ConfigMaps.Modify("counter", o => o["data"]!["n"] = "2"); // another writer wins the race

        var conflict = () => configMaps.UpdateAsync(stale with { Data = new Dictionary<string, string> { ["n"] = "10" } });
        (await conflict.Should().ThrowAsync<KubeConflictException>()).Which.Status.Reason.Should().Be("Conflict");

        var fresh = await configMaps.GetAsync("counter");
        var updated = await configMaps.UpdateAsync(fresh with { Data = new Dictionary<string, string> { ["n"] = (int.Parse(fresh.Data!["n"], System.Globalization.CultureInfo.InvariantCulture) + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        updated.Data!["n"].Should().Be("12");
    }

    [Fact]
    public async Task ListAllAsync_ManyObjects_FollowsContinueTokensWithLimit()
    {
        for (var i = 0; i < 7; i++)
        {
            ConfigMaps.Seed($"cm-{i}");
        }

        var names = new List<string>();
        await foreach (var map in Client.For<V1ConfigMap>().ListAllAsync("default", new ListOptions { Limit = 3 }))
        {
            names.Add(map.Metadata!.Name!);
        }

        names.Should().Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"));
        var lists = Server.Requests.Where(r => r.Method == "GET").Select(r => r.PathAndQuery).ToList();
        lists.Should().Equal($"{ConfigMapsPath}?limit=3", $"{ConfigMapsPath}?limit=3&continue=cm-2", $"{ConfigMapsPath}?limit=3&continue=cm-5");
    }

    [Fact]
    public async Task ListAllAsync_ContinueTokenExpiresMidList_ListsOnceInFullAndYieldsEachObjectOnce()
    {
        for (var i = 0; i < 7; i++)
        {
            ConfigMaps.Seed($"cm-{i}");
        }

        // While the first page is with the client, cm-0 goes away, cm-7 comes and the server compacts its first version.
        Server.Intercept = async context =>
        {
            if (!context.Request.Query.ContainsKey("continue"))
            {
                return false;
            }

            ConfigMaps.Remove("cm-0");
            ConfigMaps.Seed("cm-7");
            await FakeResponses.WriteStatusAsync(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
            return true;
        };

        var names = new List<string>();
        await foreach (var map in Client.For<V1ConfigMap>().ListAllAsync("default", new ListOptions { Limit = 3 }))
        {
            names.Add(map.Metadata!.Name!);
        }

        names.Should().Equal(Enumerable.Range(1, 7).Select(i => $"cm-{i}"), "the list as it is now, each object once, not the dropped first page too");
        var lists = Server.Requests.Where(r => r.Method == "GET").Select(r => r.PathAndQuery).ToList();
        lists.Should().Equal($"{ConfigMapsPath}?limit=3", $"{ConfigMapsPath}?limit=3&continue=cm-2", ConfigMapsPath);
    }

    [Fact]
    public async Task ListAllAsync_CallersOwnContinueTokenExpired_Throws410()
    {
        ConfigMaps.Seed("cm-0");
        Server.Intercept = async context =>
        {
            await FakeResponses.WriteStatusAsync(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
            return true;
        };

        var act = async () =>
        {
            await foreach (var _ in Client.For<V1ConfigMap>().ListAllAsync("default", new ListOptions { Limit = 3, Continue = "cm-5" }, Stopping))
            {
            }
        };

        (await act.Should().ThrowAsync<KubeGoneException>()).Which.Reason.Should().Be("Expired");
        Server.Requests.Should().ContainSingle("a list from the start would hand back what came before the caller's token");
    }

    [Fact]
    public async Task ListAsync_Selectors_AreSentAndFilter()
    {
        ConfigMaps.Seed("a", labels: new Dictionary<string, string> { ["app"] = "web" });
        ConfigMaps.Seed("b", labels: new Dictionary<string, string> { ["app"] = "db" });

        var page = await Client.For<V1ConfigMap>().ListAsync("default", new ListOptions { LabelSelector = "app=web", FieldSelector = "metadata.name=a" });

        page.Items.Select(i => i.Metadata!.Name).Should().Equal("a");
        page.ResourceVersion.Should().Be(ConfigMaps.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.Requests.Last().PathAndQuery.Should().Be($"{ConfigMapsPath}?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Da");
    }

    [Fact]
    public async Task PatchAsync_EachType_SendsItsContentTypeAndApplyParameters()
    {
        ConfigMaps.Seed("p", new JsonObject { ["a"] = "1", ["b"] = "2" });
        var configMaps = Client.For<V1ConfigMap>();

        var merged = await configMaps.PatchAsync("p", KubePatch.Merge(new JsonObject { ["data"] = new JsonObject { ["a"] = null, ["c"] = "3" } }));
        merged.Data.Should().BeEquivalentTo(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" });
        Server.Requests.Last().ContentType.Should().Be("application/merge-patch+json");

        await configMaps.PatchAsync("p", KubePatch.Apply(new JsonObject { ["data"] = new JsonObject { ["d"] = "4" } }, "recoperator", force: true));
        var apply = Server.Requests.Last();
        apply.ContentType.Should().Be("application/apply-patch+yaml");
        apply.PathAndQuery.Should().Be($"{ConfigMapsPath}/p?fieldManager=recoperator&force=true");

        var jsonPatch = () => configMaps.PatchAsync("p", KubePatch.Json([new JsonObject { ["op"] = "remove", ["path"] = "/data/b" }]));
        await jsonPatch.Should().ThrowAsync<KubeApiException>(); // the fake does not implement JSON patch; the header is what matters
        Server.Requests.Last().ContentType.Should().Be("application/json-patch+json");
        Server.Requests.Last().Body.Should().Be("""[{"op":"remove","path":"/data/b"}]""");
    }

    [Fact]
    public async Task DeleteAsync_WithPreconditions_SendsOptionsAndStaleVersionConflicts()
    {
        var seeded = ConfigMaps.Seed("d");
        var version = seeded["metadata"]!["resourceVersion"]!.GetValue<string>();
        var configMaps = Client.For<V1ConfigMap>();
        var options = new V1DeleteOptions { PropagationPolicy = "Foreground", Preconditions = new V1Preconditions { ResourceVersion = "1" } };

        await FluentActions.Invoking(() => configMaps.DeleteAsync("d", options: options)).Should().ThrowAsync<KubeConflictException>();
        Server.Requests.Last().Body.Should().Be("""{"preconditions":{"resourceVersion":"1"},"propagationPolicy":"Foreground"}""");

        await configMaps.DeleteAsync("d", options: options with { Preconditions = new V1Preconditions { ResourceVersion = version } });
        ConfigMaps.Get("d").Should().BeNull();
    }

    [Fact]
    public async Task UpdateStatusAsync_And_Scale_UseSubresourcePaths()
    {
        var deployments = Server.AddCollection("/apis/apps/v1/namespaces/default/deployments", "Deployment", "apps/v1");
        deployments.Modify(deployments.Seed("web")["metadata"]!["name"]!.GetValue<string>(), o => o["spec"] = new JsonObject { ["replicas"] = 2 });
        var client = Client.Unstructured(V1Deployment.Descriptor);

        var current = await client.GetAsync("web");
        current["status"] = new JsonObject { ["replicas"] = 2 };
        var updated = await client.UpdateStatusAsync(current);
        Server.Requests.Last().PathAndQuery.Should().Be("/apis/apps/v1/namespaces/default/deployments/web/status");
        updated["status"]!["replicas"]!.GetValue<int>().Should().Be(2);

        var typed = Client.For<V1Deployment>();
        (await typed.GetScaleAsync("web")).Spec!.Replicas.Should().Be(2);
        var scaled = await typed.UpdateScaleAsync("web", new V1Scale { Metadata = new() { Name = "web" }, Spec = new V1ScaleSpec { Replicas = 5 } });
        scaled.Spec!.Replicas.Should().Be(5);
        Server.Requests.Last().PathAndQuery.Should().Be("/apis/apps/v1/namespaces/default/deployments/web/scale");
    }

    [Fact]
    public async Task AnyCall_TooManyRequests_WaitsRetryAfterThenSucceeds()
    {
        ConfigMaps.Seed("busy");
        var throttled = 0;
        Server.Intercept = async context =>
        {
            if (Interlocked.Increment(ref throttled) > 2)
            {
                return false;
            }

            context.Response.Headers.RetryAfter = "1";
            await FakeResponses.WriteStatusAsync(context, 429, "TooManyRequests", "slow down");
            return true;
        };
        var time = new ManualTimeProvider();
        using var client = new KubeApiClient(KubeClientConfig.ForServer(Server.BaseAddress), new KubeApiClientOptions { TimeProvider = time });

        var get = client.For<V1ConfigMap>().GetAsync("busy");
        for (var i = 0; i < 2; i++)
        {
            await Eventually.Until(() => time.PendingTimers > 0);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        (await get).Metadata!.Name.Should().Be("busy");
        throttled.Should().Be(3);
    }

    [Fact]
    public async Task AnyCall_TooManyRequestsBeyondRetries_ThrowsWithRetryAfter()
    {
        Server.Intercept = async context =>
        {
            context.Response.Headers.RetryAfter = "0";
            await FakeResponses.WriteStatusAsync(context, 429, "TooManyRequests", "slow down");
            return true;
        };

        var error = (await FluentActions.Invoking(() => Client.For<V1ConfigMap>().GetAsync("x")).Should().ThrowAsync<KubeTooManyRequestsException>()).Which;

        error.RetryAfter.Should().Be(TimeSpan.Zero);
        Server.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task CreateAsync_Invalid_ThrowsWithCausesNamingFields()
    {
        Server.Intercept = async context =>
        {
            var status = FakeResponses.Status(422, "Invalid", "ConfigMap \"BAD\" is invalid");
            status["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["field"] = "metadata.name", ["reason"] = "FieldValueInvalid", ["message"] = "must be lower case" }),
            };
            await FakeResponses.WriteJsonAsync(context, 422, status);
            return true;
        };

        var error = (await FluentActions.Invoking(() => Client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap { Metadata = new() { Name = "BAD" } }))
            .Should().ThrowAsync<KubeInvalidException>()).Which;

        error.Causes.Should().ContainSingle().Which.Field.Should().Be("metadata.name");
    }

    [Fact]
    public async Task Unstructured_CreateAndGet_WorksWithJsonObjects()
    {
        var client = Client.Unstructured(new ResourceDescriptor("", "v1", "ConfigMap", "configmaps", true));
        await client.CreateAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "u" } });

        var got = await client.GetAsync("u");

        ObjectIdentity.Of(got).Key.Should().Be("default/u");
    }
}
