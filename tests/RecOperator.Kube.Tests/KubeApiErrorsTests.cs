using System.Net;
using Microsoft.AspNetCore.Http;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;

namespace RecOperator.Kube.Tests;

/// <summary>Authentication and authorisation refusals, answered by a real HTTP server, become typed errors.</summary>
public sealed class KubeApiErrorsTests : FakeServerTest
{
    [Fact]
    public async Task GetAsync_Unauthorized_ThrowsUnauthorizedWithServerStatus()
    {
        Server.Intercept = async context =>
        {
            await FakeResponses.WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return true;
        };

        var error = (await FluentActions.Invoking(() => Client.For<V1ConfigMap>().GetAsync("settings"))
            .Should().ThrowAsync<KubeUnauthorizedException>()).Which;

        error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        error.Reason.Should().Be("Unauthorized");
        error.Status.Message.Should().Be("Unauthorized");
        Server.Requests.Should().ContainSingle("an authentication failure is not retried");
    }

    [Fact]
    public async Task ListAsync_Forbidden_ThrowsForbiddenWithServerMessage()
    {
        const string message = "configmaps is forbidden: User \"system:serviceaccount:default:app\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"";
        Server.Intercept = async context =>
        {
            await FakeResponses.WriteStatusAsync(context, 403, "Forbidden", message);
            return true;
        };

        var error = (await FluentActions.Invoking(() => Client.For<V1ConfigMap>().ListAsync("default"))
            .Should().ThrowAsync<KubeForbiddenException>()).Which;

        error.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        error.Status.Message.Should().Be(message);
        error.Message.Should().Contain("cannot list resource", "the server's explanation reaches logs");
    }

    [Fact]
    public async Task GetAsync_UnauthorizedWithoutStatusBody_StillTypedWithBodyAsMessage()
    {
        // Some proxies in front of the API server answer 401 with plain text instead of a Status object.
        Server.Intercept = async context =>
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("token expired", context.RequestAborted);
            return true;
        };

        var error = (await FluentActions.Invoking(() => Client.For<V1ConfigMap>().GetAsync("settings"))
            .Should().ThrowAsync<KubeUnauthorizedException>()).Which;

        error.Status.Message.Should().Be("token expired");
        error.Status.Code.Should().Be(401);
    }
}
