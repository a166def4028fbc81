namespace RecOperator.Kube;

/// <summary>How a quantity was written, which decides how it is written back (as in Kubernetes' resource.Format).</summary>
public enum QuantityFormat
{
    /// <summary>Powers of 1000: <c>m</c>, <c>k</c>, <c>M</c>, <c>G</c> ... or no suffix.</summary>
    DecimalSI,

    /// <summary>Powers of 1024: <c>Ki</c>, <c>Mi</c>, <c>Gi</c> ...</summary>
    BinarySI,

    /// <summary>Scientific notation: <c>1e3</c>, <c>5E-3</c>.</summary>
    DecimalExponent,
}
