namespace RecOperator.DevCluster.Validation;

/// <summary>What JSON a field of a built-in kind accepts, as its Go type decodes it.</summary>
public enum FieldShape
{
    /// <summary>Anything: raw JSON (RawExtension, FieldsV1, a CRD's JSON and JSONSchemaPropsOr* fields).</summary>
    Any,
    String,
    Integer,
    Number,
    Boolean,
    List,
    /// <summary>A struct: named fields; any other key is an unknown field.</summary>
    Struct,
    /// <summary>An object with free keys and values of one type (labels, ConfigMap data, resource lists).</summary>
    Map,
    /// <summary>intstr.IntOrString: an integer or a string.</summary>
    IntOrString,
    /// <summary>resource.Quantity: a quantity string (or a plain number) such as 500m or 2Gi.</summary>
    Quantity,
    /// <summary>metav1.Time: an RFC 3339 date-time string, stored as the real server writes it back (UTC, whole seconds).</summary>
    Time,
    /// <summary>metav1.MicroTime: an RFC 3339 date-time string, stored in UTC with six fractional digits.</summary>
    MicroTime,
    /// <summary>[]byte: base64 in JSON (Secret data).</summary>
    Bytes,
}
