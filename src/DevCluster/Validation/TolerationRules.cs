using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The real server's rules for a pod spec's tolerations: a key is a qualified name; an empty key tolerates every taint
/// only with Exists; Exists takes no value and Equal (or no operator) a label value; an effect is one of the three taint
/// effects, and tolerationSeconds only goes with NoExecute. A toleration the scheduler could never match is refused on
/// create instead of leaving the pod Pending forever. Pure.
/// </summary>
public static class TolerationRules
{
    private static readonly string[] Operators = ["Equal", "Exists"];
    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void Validate(JsonArray? tolerations, string path, List<FieldError> errors)
    {
        var list = tolerations ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            One(list[i] as JsonObject ?? [], $"{path}[{i}]", errors);
        }
    }

    private static void One(JsonObject toleration, string path, List<FieldError> errors)
    {
        var key = JsonTree.GetString(toleration, "key") ?? "";
        var op = JsonTree.GetString(toleration, "operator") ?? "";
        var value = JsonTree.GetString(toleration, "value") ?? "";
        var effect = JsonTree.GetString(toleration, "effect") ?? "";
        if (key.Length > 0 && NameRules.QualifiedNameProblem(key) is { } keyProblem)
        {
            errors.Add(FieldError.Invalid($"{path}.key", $"\"{key}\"", keyProblem));
        }
        if (key.Length == 0 && op != "Exists")
        {
            errors.Add(FieldError.Invalid($"{path}.operator", $"\"{op}\"", "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
        }
        var seconds = JsonTree.GetLong(toleration, "tolerationSeconds");
        if (seconds is not null && effect != "NoExecute")
        {
            errors.Add(FieldError.Invalid($"{path}.effect", $"\"{effect}\"", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
        }
        switch (op)
        {
            case "Equal" or "":
                if (NameRules.LabelValueProblem(value) is { } valueProblem)
                {
                    errors.Add(FieldError.Invalid($"{path}.operator", $"\"{value}\"", valueProblem));
                }
                break;
            case "Exists":
                if (value.Length > 0)
                {
                    // The real message quotes the whole toleration as its Go value.
                    errors.Add(FieldError.Invalid($"{path}.operator", GoValue(key, op, value, effect, seconds), "value must be empty when `operator` is 'Exists'"));
                }
                break;
            default:
                errors.Add(FieldError.NotSupported($"{path}.operator", op, Operators));
                break;
        }
        if (effect.Length > 0 && !Effects.Contains(effect))
        {
            errors.Add(FieldError.NotSupported($"{path}.effect", effect, Effects));
        }
    }

    private static string GoValue(string key, string op, string value, string effect, long? seconds) =>
        $"core.Toleration{{Key:{GoText.Quote(key)}, Operator:{GoText.Quote(op)}, Value:{GoText.Quote(value)}, Effect:{GoText.Quote(effect)}, TolerationSeconds:"
        + (seconds is { } s ? s.ToString(CultureInfo.InvariantCulture) : "(*int64)(nil)") + "}";
}
