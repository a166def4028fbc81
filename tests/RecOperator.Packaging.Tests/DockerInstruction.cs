namespace RecOperator.Packaging.Tests;

/// <summary>One Dockerfile instruction with its continuation lines joined; <see cref="Line"/> is where it starts.</summary>
internal sealed record DockerInstruction(int Line, string Keyword, string Arguments)
{
    /// <summary>The JSON (exec) form's items, e.g. ENTRYPOINT ["dotnet", "/app/recop.dll"]; empty for the shell form.</summary>
    public IReadOnlyList<string> ExecForm() =>
        Arguments.StartsWith('[') ? System.Text.Json.JsonSerializer.Deserialize<string[]>(Arguments) ?? [] : [];

    /// <summary>The value of a <c>--name=value</c> flag (COPY --from=build), or null.</summary>
    public string? Flag(string name) =>
        Words().FirstOrDefault(w => w.StartsWith($"--{name}=", StringComparison.Ordinal))?[(name.Length + 3)..];

    /// <summary>The arguments split on whitespace, flags included.</summary>
    public IReadOnlyList<string> Words() => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The arguments without leading <c>--flag</c> words: for COPY, the sources and then the destination.</summary>
    public IReadOnlyList<string> Operands() => Words().SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
}
