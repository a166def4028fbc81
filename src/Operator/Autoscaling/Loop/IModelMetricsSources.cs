using RecOperator.Crds;
using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>Picks the metrics source a RecModel asks for (spec.autoscaling.metrics); tests substitute a scripted one.</summary>
public interface IModelMetricsSources
{
    IMetricsSource For(RecModel model);
}
