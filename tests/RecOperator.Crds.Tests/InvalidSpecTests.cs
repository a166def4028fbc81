using RecOperator.Crds.Manifests;
using RecOperator.Tests.Shared;

namespace RecOperator.Crds.Tests;

/// <summary>Each testassets/invalid/CASE.yaml yields exactly the errors listed in CASE.errors, in order.</summary>
public sealed class InvalidSpecTests
{
    private static readonly string Folder = RepoPaths.Combine("tests", "RecOperator.Crds.Tests", "testassets", "invalid");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order())
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Cases_AtLeastEight_EachWithExpectedErrors()
    {
        Cases().Should().HaveCountGreaterThanOrEqualTo(8);
        foreach (var name in Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileNameWithoutExtension))
        {
            File.Exists(Path.Combine(Folder, name + ".errors")).Should().BeTrue($"{name}.yaml needs {name}.errors");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_InvalidSpec_ReportsExactlyTheExpectedErrors(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, name + ".yaml"));
        var expected = File.ReadAllLines(Path.Combine(Folder, name + ".errors")).Where(l => l.Length > 0).ToList();

        var results = ManifestChecker.Check(name + ".yaml", text);

        results.Should().ContainSingle().Which.IsValid.Should().BeFalse();
        results[0].Errors.Select(e => e.ToString()).Should().Equal(expected);
    }
}
