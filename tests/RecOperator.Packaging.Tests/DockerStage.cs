namespace RecOperator.Packaging.Tests;

/// <summary>A build stage: FROM image [AS name] and the instructions up to the next FROM.</summary>
internal sealed record DockerStage(string Name, string BaseImage, int Line, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => string.Equals(i.Keyword, keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>The last instruction of a kind: the one in force for USER, ENTRYPOINT, CMD and WORKDIR.</summary>
    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();
}
