namespace RecOperator.DevCluster.Api;

/// <summary>
/// One invalid field, as the real server reports it: the path (`spec.replicas`), the cause reason
/// (FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueTypeInvalid) and a detail.
/// </summary>
public sealed record FieldError(string Field, string Reason, string Detail, string? BadValue = null)
{
    public static FieldError Required(string field, string detail = "Required value") => new(field, "FieldValueRequired", detail);

    public static FieldError Invalid(string field, string? value, string detail) => new(field, "FieldValueInvalid", detail, value);

    public override string ToString() => Reason switch
    {
        "FieldValueRequired" => $"{Field}: Required value{(Detail == "Required value" ? "" : ": " + Detail)}",
        "FieldValueNotSupported" => $"{Field}: Unsupported value: {BadValue}: {Detail}",
        "FieldValueTypeInvalid" => $"{Field}: Invalid value: \"{BadValue}\": {Detail}",
        _ => $"{Field}: Invalid value: {BadValue}: {Detail}",
    };
}
