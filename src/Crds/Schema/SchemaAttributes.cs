namespace RecOperator.Crds.Schema;

// Field constraints declared once on the C# types. The same attributes drive the C# validator
// (RecOperator.Crds.Validation) and the OpenAPI v3 schema in the generated CRD, so the two cannot drift apart.

/// <summary>Inclusive lower bound of a number (<c>minimum</c>); exclusive when <see cref="Exclusive"/> is set.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(double value) : Attribute
{
    public double Value { get; } = value;

    public bool Exclusive { get; init; }
}

/// <summary>Inclusive upper bound of a number (<c>maximum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(double value) : Attribute
{
    public double Value { get; } = value;
}

/// <summary>A regular expression a string must match, with the reason a person reads when it does not.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex, string reason) : Attribute
{
    public string Regex { get; } = regex;

    public string Reason { get; } = reason;
}

/// <summary>Applies <see cref="PatternAttribute"/> semantics to every item of a string list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemPatternAttribute(string regex, string reason) : Attribute
{
    public string Regex { get; } = regex;

    public string Reason { get; } = reason;
}

/// <summary>Maximum length of a string.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>Minimum number of items of a list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>
/// Maximum number of items of a list. Lists a CEL rule iterates need one: the API server estimates a rule's cost
/// from it and rejects a CRD whose rules could cost too much.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>Applies <see cref="MaxLengthAttribute"/> to every item of a string list (bounds CEL cost like <see cref="MaxItemsAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemMaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>A list of scalars whose items are unique (<c>x-kubernetes-list-type: set</c>); the API server rejects duplicates.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;

/// <summary>A list whose items are unique by the named key (<c>x-kubernetes-list-type: map</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}

/// <summary>
/// A cross-field rule of a type, emitted as a CEL rule (<c>x-kubernetes-validations</c>) so the API server enforces it
/// too. The C# validator implements the same rule in code (CEL is not evaluated in-process).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>The field the rule's errors are reported on, relative to the object (e.g. <c>.executionProvider</c>).</summary>
    public string? FieldPath { get; init; }
}
