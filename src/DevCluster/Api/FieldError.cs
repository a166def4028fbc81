namespace RecOperator.DevCluster.Api;

/// <summary>
/// One invalid field, as the real server reports it: the path (`spec.replicas`), the cause reason
/// (FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueTypeInvalid, FieldValueDuplicate, FieldValueNotFound) and a detail.
/// </summary>
public sealed record FieldError(string Field, string Reason, string Detail, string? BadValue = null)
{
    public static FieldError Required(string field, string detail = "Required value") => new(field, "FieldValueRequired", detail);

    public static FieldError Invalid(string field, string? value, string detail) => new(field, "FieldValueInvalid", detail, value);

    /// <summary>A value outside a closed set, listed as the real server lists them: `supported values: "a", "b"`.</summary>
    public static FieldError NotSupported(string field, string value, params string[] supported) =>
        new(field, "FieldValueNotSupported", "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")), $"\"{value}\"");

    public static FieldError Duplicate(string field, string? value) => new(field, "FieldValueDuplicate", "", value);

    /// <summary>A reference to something the object does not declare (a volume mount of no volume).</summary>
    public static FieldError NotFound(string field, string value) => new(field, "FieldValueNotFound", "", $"\"{value}\"");

    /// <summary>The cause message without the field, as in `details.causes[].message`.</summary>
    public string Message => Reason switch
    {
        "FieldValueRequired" => $"Required value{(Detail == "Required value" ? "" : ": " + Detail)}",
        "FieldValueNotSupported" => $"Unsupported value: {BadValue}: {Detail}",
        "FieldValueTypeInvalid" => $"Invalid value: \"{BadValue}\": {Detail}",
        "FieldValueDuplicate" => $"Duplicate value: {BadValue}",
        "FieldValueNotFound" => $"Not found: {BadValue}",
        "FieldValueForbidden" => $"Forbidden: {Detail}",
        "FieldValueTooLong" => $"Too long: {Detail}",
        _ => $"Invalid value: {BadValue}: {Detail}",
    };

    public override string ToString() => $"{Field}: {Message}";
}
