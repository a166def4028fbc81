using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>Plugs the autoscaler into an operator: its informers, its plans into the reconciler's book, its loop.</summary>
public static class AutoscalerRegistration
{
    public static void Add(OperatorComposition composition, AutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(composition);
        var loop = AutoscalerLoop.Create(composition.Client, composition.Informers, composition.Plans, options, composition.Loggers,
            isLeading: () => composition.IsLeading(), watchNamespace: composition.Options.Namespace);
        composition.AddLoop(async cancellationToken =>
        {
            using (loop)
            {
                await loop.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        });
    }
}
