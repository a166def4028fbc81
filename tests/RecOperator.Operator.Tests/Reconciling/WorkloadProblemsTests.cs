using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>Degraded reasons read from pods and Deployments.</summary>
public sealed class WorkloadProblemsTests
{
    [Fact]
    public void Find_ArtifactErrorInLastTermination_ReportsIt()
    {
        var pod = LastTerminatedWith("artifact 's3://m/x.onnx': download answered 404 Not Found");

        WorkloadProblems.Find([pod], []).ArtifactErrors.Should().ContainSingle().Which.Should().Contain("404");
    }

    [Fact]
    public void Find_LogTailAsTerminationMessage_ReportsTheLastLineNamingTheArtifact()
    {
        // FallbackToLogsOnError: the message is the end of the pod's log; an earlier line may name the artifact too.
        const string tail = "{\"Message\":\"fetching artifact 'file:///m.onnx'\"}\n{\"Message\":\"loading\"}\npod: artifact 'file:///m.onnx' has sha256 98ea, but --sha256 (RECPOD_SHA256) expects 0000; refusing to load it\n";

        WorkloadProblems.Find([LastTerminatedWith(tail)], []).ArtifactErrors
            .Should().Equal("pod: artifact 'file:///m.onnx' has sha256 98ea, but --sha256 (RECPOD_SHA256) expects 0000; refusing to load it");
    }

    [Fact]
    public void Find_ContainerCrashLoopingOnABadSetting_ReportsTheVariantAndItsLastLine()
    {
        // As the inference pod exits on a user input the model does not take: the log tail ends with its one-line error.
        const string tail = "{\"Message\":\"starting\"}\npod: --user-inputs (RECPOD_USER_INPUTS) names 'no_such_input', which the model does not take\n";
        var looping = CrashLooping("cpu", tail);
        var artifact = CrashLooping("gpu", "pod: artifact 'file:///m.onnx' not found");

        var problems = WorkloadProblems.Find([looping, looping, artifact], []);

        problems.CrashLoops.Should().Equal(
            "variant cpu keeps exiting (exit code 1): pod: --user-inputs (RECPOD_USER_INPUTS) names 'no_such_input', which the model does not take");
        problems.ArtifactErrors.Should().ContainSingle("an artifact problem is told once, by its own reason");
    }

    private static V1Pod CrashLooping(string variant, string message) => Waiting(variant, WorkloadProblems.CrashLoopBackOff, "back-off 40s restarting failed container", null) is var pod
        ? pod with
        {
            Status = pod.Status! with
            {
                Phase = "Running",
                ContainerStatuses = [pod.Status.ContainerStatuses![0] with
                {
                    RestartCount = 4,
                    LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = message } },
                }],
            },
        }
        : null!;

    /// <summary>A running pod whose inference container last exited with 1 and this termination message.</summary>
    private static V1Pod LastTerminatedWith(string message) => new()
    {
        Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "recpod", Image = "i", ImageID = "", Ready = false, RestartCount = 3,
                    LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = message } },
                },
            ],
        },
    };

    [Fact]
    public void Find_PodsHeldBackByTheCaVolume_OneLinePerVariantAndCause()
    {
        const string noSecret = "MountVolume.SetUp failed for volume \"artifact-ca\" : secret \"store-tls\" not found";
        const string noKey = "MountVolume.SetUp failed for volume \"artifact-ca\" : configmap \"store-ca\" references non-existent config key: root.pem";
        var pods = new[] { Held("gpu", noSecret), Held("gpu", noSecret), Held("cpu", noKey) };

        WorkloadProblems.Find(pods, []).CaBundleErrors.Should().Equal(
            "variant cpu cannot mount its artifact caBundle: configmap \"store-ca\" references non-existent config key: root.pem",
            "variant gpu cannot mount its artifact caBundle: secret \"store-tls\" not found");
    }

    [Fact]
    public void Find_OtherVolumeFailing_IsNotACaBundleProblem()
    {
        var pod = Held("cpu", "MountVolume.SetUp failed for volume \"cache\" : configmap \"x\" not found");

        WorkloadProblems.Find([pod], []).CaBundleErrors.Should().BeEmpty();
    }

    [Fact]
    public void Find_FailedMountEventOfAPodWaitingInContainerCreating_IsACaBundleProblem()
    {
        const string message = "MountVolume.SetUp failed for volume \"artifact-ca\" : secret \"store-tls\" not found";
        var waiting = Creating("cpu", "uid-1");
        var started = Creating("gpu", "uid-2") with { Status = new V1PodStatus { Phase = "Running" } };
        // The second Event is about a pod that has started since (Events outlive the failure): it no longer counts.
        var events = new[] { FailedMount("uid-1", message), FailedMount("uid-2", message), FailedMount("uid-9", message) };

        WorkloadProblems.AnyContainerCreating([waiting, started]).Should().BeTrue();
        WorkloadProblems.AnyContainerCreating([started]).Should().BeFalse();
        WorkloadProblems.Find([waiting, started], [], events).CaBundleErrors
            .Should().Equal("variant cpu cannot mount its artifact caBundle: secret \"store-tls\" not found");
    }

    [Theory]
    [InlineData("secret \"model-store-s3\" not found")]
    [InlineData("secrets \"model-store-s3\" not found")]
    public void Find_PodsHeldBackByAMissingCredentialsSecret_OneLinePerVariant(string kubeletMessage)
    {
        var pods = new[] { WithCredentials(Held("gpu", kubeletMessage)), WithCredentials(Held("gpu", kubeletMessage)) };

        var problems = WorkloadProblems.Find(pods, []);

        problems.CredentialsErrors.Should().Equal("variant gpu cannot read its artifact credentialsSecret: secret \"model-store-s3\" not found");
        problems.CaBundleErrors.Should().BeEmpty();
        problems.ArtifactErrors.Should().BeEmpty();
    }

    [Fact]
    public void Find_MissingSecretTheContainerDoesNotTakeItsEnvFrom_IsNotACredentialsProblem()
    {
        var pod = WithCredentials(Held("gpu", "secret \"registry-pull\" not found"));

        WorkloadProblems.Find([pod], []).CredentialsErrors.Should().BeEmpty();
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

    [Fact]
    public void Find_UnschedulablePodsInTwoPlacements_OneSchedulerReasonPerPlacement()
    {
        static V1Pod Unschedulable(string variant, string pool, string message) => new()
        {
            Metadata = new V1ObjectMeta { Labels = ChildLabels.For("m", variant, pool) },
            Status = new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message }] },
        };
        var room = "0/2 nodes are available: 2 Insufficient cpu.";
        var taint = "0/2 nodes are available: 2 node(s) had untolerated taint {spot: true}.";

        var problems = WorkloadProblems.Find([Unschedulable("int8", "spot", taint), Unschedulable("fp32", "ondemand", room), Unschedulable("int8", "spot", taint + " ")], []);

        problems.Unschedulable.Should().Be(3);
        problems.UnschedulableReasons.Should().Equal($"fp32@ondemand: {room}", $"int8@spot: {taint}");
    }

    // As DevCluster's node agent reports a pod whose volume it cannot set up: Pending, the container waiting with the message.
    private static V1Pod Held(string variant, string message) => Waiting(variant, "CreateContainerConfigError", message, uid: null);

    // The operator's container for a variant with credentialsSecret: model-store-s3.
    private static V1Pod WithCredentials(V1Pod pod) => pod with
    {
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "recpod", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "model-store-s3" } }] }],
        },
    };

    // As a real kubelet leaves such a pod: Pending, the container in ContainerCreating without a message (an Event says why).
    private static V1Pod Creating(string variant, string uid) => Waiting(variant, "ContainerCreating", message: null, uid);

    private static V1Pod Waiting(string variant, string reason, string? message, string? uid) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"ranking-{variant}-spot-abc", Uid = uid, Labels = ChildLabels.For("ranking", variant, "spot") },
        Status = new V1PodStatus
        {
            Phase = "Pending",
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "recpod", Image = "i", ImageID = "", Ready = false, RestartCount = 0,
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
                },
            ],
        },
    };

    private static CoreV1Event FailedMount(string podUid, string message) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"pod.{podUid}" },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Uid = podUid },
        Reason = "FailedMount", Type = "Warning", Message = message,
    };
}
