using System.Text.RegularExpressions;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>The install documentation's relative links point at files that exist.</summary>
public sealed partial class DocsLinkTests
{
    [Theory]
    [InlineData("docs/install.md")]
    [InlineData("docs/metrics.md")]
    [InlineData("docs/troubleshooting.md")]
    [InlineData("README.md")]
    public void Links_Document_PointAtExistingFiles(string document)
    {
        var folder = Path.GetDirectoryName(RepoPaths.Combine(document))!;
        var links = Link().Matches(File.ReadAllText(RepoPaths.Combine(document)))
            .Select(m => m.Groups[1].Value.Split('#')[0])
            .Where(l => l.Length > 0 && !l.Contains("://", StringComparison.Ordinal))
            .ToList();
        links.Should().NotBeEmpty();
        foreach (var link in links)
        {
            Path.Exists(Path.GetFullPath(Path.Combine(folder, link))).Should().BeTrue($"{document} links to {link}");
        }
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
