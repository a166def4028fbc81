using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Pipeline;

/// <summary>Reads the --in model, turning a missing or non-ONNX file into a rejection that names it.</summary>
public static class ModelInput
{
    public static ModelProto Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ModelRejectedException($"--in: '{path}' is a directory; give the .onnx file");
        }
        if (!File.Exists(path))
        {
            throw new ModelRejectedException($"--in: '{path}' does not exist");
        }
        try
        {
            return OnnxModelFiles.Read(path);
        }
        catch (InvalidDataException error)
        {
            throw new ModelRejectedException($"--in: {error.Message}", error);
        }
    }

    /// <summary>The artifact's path in the output folder; refuses a path that is the input itself.</summary>
    public static string OutputPath(string inputPath, string outputFolder, string suffix)
    {
        // Checked here, before the staging folder is made inside it, so the message names --out rather than the staging path.
        if (File.Exists(outputFolder))
        {
            throw new ModelRejectedException($"--out: '{outputFolder}' is a file; give a folder (it is created when missing)");
        }
        var input = Path.GetFullPath(inputPath);
        var output = Path.Combine(Path.GetFullPath(outputFolder), $"{Path.GetFileNameWithoutExtension(input)}.{suffix}.onnx");
        if (string.Equals(input, output, StringComparison.Ordinal))
        {
            throw new ModelRejectedException($"--out: '{output}' would overwrite the input model; choose another folder");
        }
        return output;
    }
}
