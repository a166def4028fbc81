namespace RecOperator.Packaging.Tests.ChartRendering;

/// <summary>A template uses something the renderer refuses: a missing value, an unknown function, bad nesting.</summary>
internal sealed class TemplateException(string message) : Exception(message);
