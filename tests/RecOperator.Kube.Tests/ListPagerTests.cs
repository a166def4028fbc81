using System.Net;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Tests;

/// <summary>
/// The pager's decision and its page loop against a scripted page function: which 410s it recovers from by
/// listing in full, and that it then hands back only the full list.
/// </summary>
public sealed class ListPagerTests
{
    [Theory]
    [InlineData(null, "mine", 410, "Expired", true)]
    [InlineData(null, null, 410, "Expired", false)] // the first page: a resourceVersion the caller asked for
    [InlineData("theirs", "theirs", 410, "Expired", false)] // the caller's own token
    [InlineData("theirs", "mine", 410, "Expired", false)] // a list the caller started mid-way: a restart would go back past it
    [InlineData(null, "mine", 410, "Gone", false)] // client-go recovers from Expired only
    [InlineData(null, "mine", 500, "InternalError", false)]
    [InlineData(null, "mine", 409, "Conflict", false)]
    public void ShouldListInFull_RefusedPage_OnlyForAnExpiredTokenOfItsOwn(string? requested, string? refused, int code, string reason, bool expected)
    {
        var error = KubeApiErrors.FromStatus((HttpStatusCode)code, new V1Status { Code = code, Reason = reason });

        ListPager.ShouldListInFull(new ListOptions { Continue = requested, Limit = 2 }, new ListOptions { Continue = refused, Limit = 2 }, error)
            .Should().Be(expected);
    }

    [Fact]
    public async Task ListAsync_ContinueExpired_DropsPagesReadAndListsOnceWithoutPaging()
    {
        var script = new ScriptedPages(
            _ => Page(["a", "b"], "10", "after-b"),
            _ => throw Expired(),
            _ => Page(["b", "c", "d"], "42", null));
        var requested = new ListOptions { Limit = 2, LabelSelector = "app=web", ResourceVersion = "0" };

        var list = await ListPager.ListAsync(script.FetchAsync, requested, CancellationToken.None);

        list.Items.Should().Equal(["b", "c", "d"], "the first page is not handed back beside the full list");
        (list.ResourceVersion, list.Continue).Should().Be(("42", null));
        script.Sent.Should().Equal(
            requested,
            requested with { Continue = "after-b" },
            new ListOptions { LabelSelector = "app=web", ResourceVersion = "0" });
    }

    [Fact]
    public async Task ListAsync_FirstPageExpired_Throws()
    {
        var script = new ScriptedPages(_ => throw Expired());

        var act = () => ListPager.ListAsync(script.FetchAsync, new ListOptions { Limit = 2, ResourceVersion = "7" }, CancellationToken.None);

        await act.Should().ThrowAsync<KubeGoneException>();
        script.Sent.Should().ContainSingle();
    }

    [Fact]
    public async Task ListAsync_FullListExpiresToo_ThrowsInsteadOfListingAgain()
    {
        // A server that pages even an unlimited list, and compacts again: one recovery, then the caller decides.
        var script = new ScriptedPages(
            _ => Page(["a"], "10", "after-a"),
            _ => throw Expired(),
            _ => Page(["a"], "20", "after-a-again"),
            _ => throw Expired());

        var act = () => ListPager.ListAsync(script.FetchAsync, new ListOptions { Limit = 1 }, CancellationToken.None);

        await act.Should().ThrowAsync<KubeGoneException>();
        script.Sent.Should().HaveCount(4);
    }

    private static KubeList<string> Page(string[] items, string version, string? next) => new(items, version, next);

    private static KubeGoneException Expired() =>
        new(HttpStatusCode.Gone, new V1Status { Code = 410, Reason = "Expired", Message = "The provided continue parameter is too old" });

    /// <summary>Answers each page request with the next step of the script and records what was asked.</summary>
    private sealed class ScriptedPages(params Func<ListOptions, KubeList<string>>[] steps)
    {
        public List<ListOptions> Sent { get; } = [];

        public Task<KubeList<string>> FetchAsync(ListOptions options, CancellationToken cancellationToken)
        {
            Sent.Add(options);
            return Task.FromResult(steps[Sent.Count - 1](options));
        }
    }
}
