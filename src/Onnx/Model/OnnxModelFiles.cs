using System.Globalization;
using Google.Protobuf;
using RecOperator.Onnx.Proto;

namespace RecOperator.Onnx.Model;

/// <summary>
/// Reads and writes ONNX model files. Large initializers can go to a side file as ONNX external data (location,
/// offset, length entries next to the model), which keeps the model under protobuf's 2 GiB message limit.
/// </summary>
public static class OnnxModelFiles
{
    /// <summary>Parses a model; a corrupt or non-ONNX file raises <see cref="InvalidDataException"/> naming the file.</summary>
    public static ModelProto Read(string path, bool loadExternalData = true)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {error.Message}", error);
        }
        if (model.Graph is null || model.IrVersion <= 0)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: it has no graph or no IR version");
        }
        if (loadExternalData)
        {
            LoadExternalData(model, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>. Initializers of at least
    /// <paramref name="externalDataThresholdBytes"/> bytes move to "&lt;file name&gt;.data" beside it (0 = keep all inline).
    /// The model object is not changed.
    /// </summary>
    public static void Write(ModelProto model, string path, long externalDataThresholdBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var output = model.Clone();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (externalDataThresholdBytes > 0)
        {
            var dataFileName = Path.GetFileName(path) + ".data";
            using var data = File.Create(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataFileName));
            foreach (var tensor in output.Graph.Initializer.Where(t => t.HasRawData && t.RawData.Length >= externalDataThresholdBytes))
            {
                var offset = data.Position;
                tensor.RawData.WriteTo(data);
                tensor.ClearRawData();
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.ExternalData.Add(Entry("location", dataFileName));
                tensor.ExternalData.Add(Entry("offset", offset.ToString(CultureInfo.InvariantCulture)));
                tensor.ExternalData.Add(Entry("length", (data.Position - offset).ToString(CultureInfo.InvariantCulture)));
            }
        }
        var temporary = path + ".partial";
        using (var file = File.Create(temporary))
        {
            output.WriteTo(file);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static void LoadExternalData(ModelProto model, string folder)
    {
        foreach (var tensor in model.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            if (!entries.TryGetValue("location", out var location) || Path.IsPathRooted(location) || location.Contains("..", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"tensor '{tensor.Name}': external data location '{location}' must be a file beside the model");
            }
            var offset = entries.TryGetValue("offset", out var o) ? long.Parse(o, CultureInfo.InvariantCulture) : 0;
            using var file = File.OpenRead(Path.Combine(folder, location));
            var length = entries.TryGetValue("length", out var l) ? long.Parse(l, CultureInfo.InvariantCulture) : file.Length - offset;
            var bytes = new byte[length];
            file.Position = offset;
            file.ReadExactly(bytes);
            tensor.RawData = ByteString.CopyFrom(bytes);
            tensor.ExternalData.Clear();
            tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        }
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
