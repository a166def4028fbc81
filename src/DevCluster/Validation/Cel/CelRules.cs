using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation.Cel;

/// <summary>
/// `x-kubernetes-validations` on a schema node: each rule is evaluated with `self` bound to the node.
/// A false rule reports its `message` (or "failed rule: ...") at the node's path, with its `reason`; an
/// evaluation error is reported too. Transition rules (those using `oldSelf`) and rules outside the
/// supported subset are skipped rather than guessed.
/// </summary>
public static class CelRules
{
    private static readonly ConcurrentDictionary<string, CelNode?> Compiled = new(StringComparer.Ordinal);

    public static void Check(JsonNode node, JsonObject schema, string path, List<FieldError> errors)
    {
        // Like the real server, a type error blocks rule evaluation: rules assume the declared types.
        if (schema["x-kubernetes-validations"] is not JsonArray rules || errors.Any(e => e.Reason == "FieldValueTypeInvalid"))
        {
            return;
        }
        foreach (var rule in rules.OfType<JsonObject>())
        {
            var text = JsonTree.GetString(rule, "rule");
            if (text is null || text.Contains("oldSelf", StringComparison.Ordinal) || Compile(text) is not { } compiled)
            {
                continue;
            }
            var field = JsonTree.GetString(rule, "fieldPath") is { } relative ? path + relative : path;
            var reason = JsonTree.GetString(rule, "reason") switch
            {
                "FieldValueRequired" => "FieldValueRequired",
                "FieldValueForbidden" => "FieldValueForbidden",
                "FieldValueDuplicate" => "FieldValueDuplicate",
                _ => "FieldValueInvalid",
            };
            try
            {
                var result = CelEvaluator.Evaluate(compiled, new Dictionary<string, object?> { ["self"] = CelEvaluator.FromJson(node) });
                if (result is not true)
                {
                    errors.Add(new FieldError(field, reason, JsonTree.GetString(rule, "message") ?? $"failed rule: {text}", Describe(node)));
                }
            }
            catch (CelException e)
            {
                errors.Add(FieldError.Invalid(field, Describe(node), $"{e.Message} evaluating rule: {text}"));
            }
            catch (CelUnsupportedException)
            {
                // Outside the subset: skipped, as documented, instead of rejecting a valid object.
            }
        }
    }

    private static CelNode? Compile(string rule) => Compiled.GetOrAdd(rule, r =>
    {
        try
        {
            return CelParser.Parse(r);
        }
        catch (FormatException)
        {
            return null;
        }
    });

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        _ => node.ToJsonString(),
    };
}
