using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// Every flag the chart and the kustomize Deployment pass to <c>recop operator</c> is an option it has, so the image
/// starts instead of failing on an unknown flag. Compiled once the operator command exists: the csproj's
/// &lt;Compile Remove&gt; line for this file goes at merge.
/// </summary>
public sealed class OperatorCommandParityTests
{
    [Fact]
    public async Task Args_ChartAndKustomizeDeployments_AreOptionsOfTheOperatorCommand()
    {
        var help = await ProcessRunner.RunAsync(RepoPaths.Combine("recop"), ["operator", "--help"], RepoPaths.Root, TimeSpan.FromMinutes(5));
        help.ExitCode.Should().Be(0, help.ToString());

        var values = ChartFiles.Values();
        ChartFiles.Set(values, "metrics.prometheusUrl", "http://prometheus:9090");
        var deployments = new[]
        {
            ChartFiles.Renderer(values).RenderObjects().Single(o => (string?)o["kind"] == "Deployment"),
            YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "operator", "deployment.yaml")))[0],
        };
        foreach (var args in deployments.Select(d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray()))
        {
            ((string?)args[0]).Should().Be("operator");
            foreach (var flag in args.Skip(1).Select(a => ((string)a!).Split('=')[0]))
            {
                help.StandardOutput.Should().Contain(flag, "`recop operator --help` must list every flag the Deployments pass");
            }
        }
    }
}
