using RecOperator.DevCluster.Patching;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>Field paths printed and ordered as structured-merge-diff prints and iterates them.</summary>
public sealed class FieldPathTextTests
{
    [Theory]
    [InlineData("spec\nreplicas", ".spec.replicas")]
    [InlineData("spec\ncontainers\nk:{\"name\":\"main\"}\nimage", ".spec.containers[name=\"main\"].image")]
    [InlineData("spec\nports\nk:{\"protocol\":\"TCP\",\"containerPort\":80}", ".spec.ports[containerPort=80,protocol=\"TCP\"]")]
    [InlineData("metadata\nlabels\napp.kubernetes.io/name", ".metadata.labels.app.kubernetes.io/name")]
    public void Display_PathElements_AsFieldpathPrintsThem(string path, string expected) =>
        FieldPathText.Display(path).Should().Be(expected);

    [Fact]
    public void CompareIteration_LeavesOfALevelBeforeWhatLiesBelowIt()
    {
        var paths = new[] { "spec\na\nb", "spec\nz", "metadata\nlabels\napp", "spec\na" };

        paths.Order(Comparer<string>.Create(FieldPathText.CompareIteration)).Select(FieldPathText.Display)
            .Should().Equal(".metadata.labels.app", ".spec.a", ".spec.z", ".spec.a.b");
    }
}
