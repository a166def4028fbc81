using RecOperator.Kube.Client;
using RecOperator.Kube.Events;

namespace RecOperator.Operator.Reconciling;

/// <summary>The operator's identity on the Events it records (reconciler and autoscaler alike).</summary>
public static class OperatorEvents
{
    public const string ReportingController = "serving.recoperator.io/operator";

    public static EventRecorder Recorder(KubeApiClient client, string reportingInstance, TimeProvider? time = null) =>
        new(client, ReportingController, reportingInstance, time);
}
