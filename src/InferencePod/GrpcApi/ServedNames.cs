using System.Text;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// The served model's name, version and input names as UTF-8, so a request that names them (nearly every one) gets
/// the cached strings instead of a decoded copy per request and per input.
/// </summary>
internal sealed class ServedNames
{
    private readonly string _model;
    private readonly byte[] _modelUtf8;
    private readonly string[] _inputs;
    private readonly byte[][] _inputsUtf8;

    public ServedNames(string model, IEnumerable<string> inputs)
    {
        _model = model;
        _modelUtf8 = Encoding.UTF8.GetBytes(model);
        _inputs = [.. inputs];
        _inputsUtf8 = [.. _inputs.Select(Encoding.UTF8.GetBytes)];
    }

    public static ServedNames Of(ServedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ServedNames(model.Name, model.DeclaredInputs.Select(i => i.Name));
    }

    public string ModelName(ReadOnlySpan<byte> utf8) => utf8.SequenceEqual(_modelUtf8) ? _model : Encoding.UTF8.GetString(utf8);

    public static string Version(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? "" : utf8.SequenceEqual("1"u8) ? InferenceService.ModelVersion : Encoding.UTF8.GetString(utf8);

    /// <summary>Input <paramref name="position"/> of a request is usually the model's input at that position: tried first.</summary>
    public string InputName(ReadOnlySpan<byte> utf8, int position)
    {
        if (position < _inputs.Length && utf8.SequenceEqual(_inputsUtf8[position]))
        {
            return _inputs[position];
        }
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (utf8.SequenceEqual(_inputsUtf8[i]))
            {
                return _inputs[i];
            }
        }
        return utf8.IsEmpty ? "" : Encoding.UTF8.GetString(utf8);
    }
}
