using RecOperator.Kube.Models;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>Degraded reasons read from pods and Deployments.</summary>
public sealed class WorkloadProblemsTests
{
    [Fact]
    public void Find_ArtifactErrorInLastTermination_ReportsIt()
    {
        var pod = new V1Pod
        {
            Status = new V1PodStatus
            {
                Phase = "Running",
                ContainerStatuses =
                [
                    new V1ContainerStatus
                    {
                        Name = "recpod", Image = "i", ImageID = "", Ready = false, RestartCount = 3,
                        LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = "artifact 's3://m/x.onnx': download answered 404 Not Found" } },
                    },
                ],
            },
        };

        WorkloadProblems.Find([pod], []).ArtifactErrors.Should().ContainSingle().Which.Should().Contain("404");
    }

    [Fact]
    public void Find_DeploymentPastProgressDeadline_IsStuck()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Status = new V1DeploymentStatus { Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }] },
        };

        WorkloadProblems.Find([], [deployment]).StuckDeployments.Should().Equal("d");
    }

    [Fact]
    public void Find_PendingPodWithoutUnschedulableReason_IsNotNoCapacity()
    {
        var pod = new V1Pod { Status = new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }] } };

        WorkloadProblems.Find([pod], []).Unschedulable.Should().Be(0);
    }
}
