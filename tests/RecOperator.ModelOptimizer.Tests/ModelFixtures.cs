using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>Small reference models built once per test run into one temp folder (dense shapes real, tables small).</summary>
internal static class ModelFixtures
{
    private static readonly TempFolder Folder = CreateFolder();
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, string> Built = new(StringComparer.Ordinal);

    /// <param name="rows">Rows per embedding table; by default 200 (500 for user-candidate).</param>
    public static async Task<string> PathAsync(string name, ulong seed = ReferenceModelCatalog.DefaultSeed, int? rows = null)
    {
        rows ??= name == "user-candidate" ? 500 : 200;
        var key = $"{name}-{seed}-{rows}";
        await Gate.WaitAsync();
        try
        {
            if (!Built.TryGetValue(key, out var path))
            {
                var model = ReferenceModelCatalog.Create(name, seed, rows);
                var folder = System.IO.Path.Combine(Folder.Path, key);
                path = (await ReferenceModelBuilder.BuildAsync(model, folder, OrtEngine.Create(), CancellationToken.None)).Path;
                Built[key] = path;
            }
            return path;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static TempFolder CreateFolder()
    {
        var folder = new TempFolder();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return folder;
    }
}
