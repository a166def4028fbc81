using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Validation;

/// <summary>
/// The one validation function every entry point uses (the CLI, the operator, tests): the structural schema
/// generated from the types, then metadata rules, then the typed cross-field rules. Returns every error.
/// </summary>
public static class ResourceValidator
{
    private const int MaxModelNameLength = RecModel.MaxNameLength;

    /// <summary>Validates a typed RecModel, e.g. one the operator read from the API server.</summary>
    public static IReadOnlyList<FieldError> Validate(RecModel model) =>
        Validate(JsonSerializer.SerializeToNode(model, CrdsJsonContext.Default.RecModel)!.AsObject());

    /// <summary>Validates a typed NodePool.</summary>
    public static IReadOnlyList<FieldError> Validate(NodePool pool) =>
        Validate(JsonSerializer.SerializeToNode(pool, CrdsJsonContext.Default.NodePool)!.AsObject());

    /// <summary>Validates a document as written by a person: a RecModel or a NodePool of this API group.</summary>
    public static IReadOnlyList<FieldError> Validate(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var apiVersion = (document["apiVersion"] as JsonValue)?.ToString();
        var kind = (document["kind"] as JsonValue)?.ToString();
        if (apiVersion != ApiGroup.ApiVersion)
        {
            return [new("apiVersion", $"must be {ApiGroup.ApiVersion} (got \"{apiVersion}\")")];
        }

        return kind switch
        {
            RecModel.KindName => ValidateAs(document, ResourceSchemas.RecModel, namespaced: true,
                (defaulted, errors) => RunRules(defaulted, CrdsJsonContext.Default.RecModel, model => ResourceRules.Check(model.Spec, errors))),
            NodePool.KindName => ValidateAs(document, ResourceSchemas.NodePool, namespaced: false,
                (defaulted, errors) => RunRules(defaulted, CrdsJsonContext.Default.NodePool, pool => ResourceRules.Check(pool.Spec, errors))),
            _ => [new("kind", $"must be {RecModel.KindName} or {NodePool.KindName} (got \"{kind}\")")],
        };
    }

    /// <param name="typedRules">Runs the cross-field rules on the already defaulted document.</param>
    private static List<FieldError> ValidateAs(JsonObject document, JsonObject schema, bool namespaced, Action<JsonObject, List<FieldError>> typedRules)
    {
        // Defaults first, then validation, as the API server does (a default must itself be valid).
        var defaulted = CrdsSerializer.WithDefaults(document, schema);
        var errors = new List<FieldError>(StructuralSchemaValidator.Validate(defaulted, schema));
        CheckMetadata(document["metadata"] as JsonObject, namespaced, errors);

        // The cross-field rules run even after schema errors, so one pass reports everything a person must fix
        // (a bad sha256 and min > max together); they only need a document the typed model can represent.
        typedRules(defaulted, errors);
        return errors;
    }

    /// <summary>
    /// Runs <paramref name="rules"/> on the typed resource when the document deserializes into it. A document that
    /// does not (a string where a number belongs, a missing required field, an unknown enum value, a null where the
    /// types expect a value) already has schema errors naming the field, and the rules have nothing typed to check.
    /// </summary>
    private static void RunRules<T>(JsonObject defaulted, JsonTypeInfo<T> typeInfo, Action<T> rules)
        where T : class
    {
        if (ContainsNull(defaulted["spec"]))
        {
            return;
        }

        T? resource;
        try
        {
            resource = defaulted.Deserialize(typeInfo);
        }
        catch (JsonException)
        {
            return;
        }

        if (resource is not null)
        {
            rules(resource);
        }
    }

    private static bool ContainsNull(JsonNode? node) => node switch
    {
        null => true,
        JsonObject obj => obj.Any(p => ContainsNull(p.Value)),
        JsonArray array => array.Any(ContainsNull),
        _ => false,
    };

    private static void CheckMetadata(JsonObject? metadata, bool namespaced, List<FieldError> errors)
    {
        var name = (metadata?["name"] as JsonValue)?.ToString();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("metadata.name", "required field is missing"));
            return;
        }

        var (pattern, reason) = namespaced ? (Patterns.Dns1035Label, Patterns.Dns1035LabelReason) : (Patterns.Dns1123Label, Patterns.Dns1123LabelReason);
        if (!Regex.IsMatch(name, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new("metadata.name", $"{reason} (got \"{name}\")"));
        }
        else if (namespaced && name.Length > MaxModelNameLength)
        {
            errors.Add(new("metadata.name", $"must be at most {MaxModelNameLength} characters, as it prefixes the names of Services (got {name.Length})"));
        }

        if (!namespaced && metadata?["namespace"] is not null)
        {
            errors.Add(new("metadata.namespace", "must not be set: NodePool is cluster-scoped"));
        }
    }
}
