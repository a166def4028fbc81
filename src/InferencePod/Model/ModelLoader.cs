using System.Diagnostics;
using Google.Protobuf;
using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Configuration;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.InferencePod.Model;

/// <summary>Loads an artifact into the engine with the configured provider and threads, then warms it up.</summary>
public static class ModelLoader
{
    public const string UserInputsKey = "recoperator.user_inputs";

    /// <param name="userModelPath">For a split artifact, the user model (already fetched and checked); null otherwise.</param>
    public static ServedModel Load(IInferenceEngine engine, string path, PodOptions options, CancellationToken cancellationToken, string? userModelPath = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var proto = OnnxModelFiles.Read(path, loadExternalData: false);
        var metadataUserInputs = proto.MetadataProps.FirstOrDefault(p => p.Key == UserInputsKey)?.Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var sessionOptions = new InferenceSessionOptions
        {
            IntraOpThreads = options.IntraOpThreads,
            ExecutionProviders = ProviderRequests(options),
        };
        if (userModelPath is not null)
        {
            return Warm(LoadSplit(engine, path, userModelPath, sessionOptions, options, cancellationToken), options, cancellationToken);
        }
        var declared = engine.Load(path, sessionOptions);
        IReadOnlySet<string> userInputs;
        try
        {
            userInputs = UserInputNames.Resolve(options.UserInputs, metadataUserInputs, [.. declared.Inputs.Select(i => i.Name)]);
        }
        catch
        {
            declared.Dispose();
            throw;
        }
        var tile = !options.UserSideReuse && userInputs.Count > 0;
        var tableRows = EmbeddingIds.TableRows(proto, declared.Inputs);
        var batchQuantized = proto.Graph.Node.Any(n => RowIndependenceProbe.BatchQuantizingOperators.Contains(n.OpType));
        if (!tile)
        {
            return Warm(new ServedModel(options.ModelName, options.Variant, declared, declared.Inputs, userInputs, false, tableRows: tableRows,
                rowMixing: ProbeRows(declared, batchQuantized, cancellationToken)), options, cancellationToken);
        }
        // Reuse off: the same graph with user inputs of dynamic batch, so tiled user rows (and different users) can share a call.
        var inputs = declared.Inputs;
        declared.Dispose();
        var full = OnnxModelFiles.Read(path);
        foreach (var input in full.Graph.Input.Where(i => userInputs.Contains(i.Name)))
        {
            var first = input.Type.TensorType.Shape.Dim[0];
            first.DimParam = "candidates";
        }
        var tiled = engine.Load(full.ToByteArray(), sessionOptions);
        return Warm(new ServedModel(options.ModelName, options.Variant, tiled, inputs, userInputs, true, tableRows: tableRows,
            rowMixing: ProbeRows(tiled, batchQuantized, cancellationToken)), options, cancellationToken);
    }

    /// <summary>
    /// Probed whatever --max-batch-size says: a request alone may hold many rows (--max-rows-per-request), and outputs
    /// are pre-allocated by rows only when the probe shows that each output has one row per input row.
    /// </summary>
    private static string? ProbeRows(IInferenceSession session, bool batchQuantized, CancellationToken cancellationToken)
    {
        try
        {
            return ServedModel.HasRowDimension(session) ? RowIndependenceProbe.FindRowMixing(session, cancellationToken, batchQuantized) : null;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The provider in front of ORT's CPU fallback: none for CPU, else the named one on the configured device.</summary>
    public static IReadOnlyList<ExecutionProviderRequest> ProviderRequests(PodOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(options.ExecutionProvider, "CPU", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        return
        [
            new ExecutionProviderRequest(options.ExecutionProvider)
            {
                // Only when set: device 0 is every provider's default, and providers without a device_id option
                // (OpenVINO's generic append) would reject the key.
                Options = options.DeviceId == 0
                    ? new Dictionary<string, string>()
                    : new Dictionary<string, string> { ["device_id"] = options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                PluginLibraryPath = options.ExecutionProviderLibrary.Length > 0 ? options.ExecutionProviderLibrary : null,
            },
        ];
    }

    /// <summary>
    /// A split artifact: the user model, and the candidate model with the user-side inputs given a dynamic first
    /// dimension so user rows may be repeated per candidate when the probe shows that scores stay the same.
    /// </summary>
    private static ServedModel LoadSplit(IInferenceEngine engine, string path, string userModelPath, InferenceSessionOptions sessionOptions,
        PodOptions options, CancellationToken cancellationToken)
    {
        var user = engine.Load(userModelPath, sessionOptions);
        IInferenceSession? candidate = null;
        try
        {
            var boundary = user.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            var full = OnnxModelFiles.Read(path);
            var missing = full.Graph.Input.Where(i => boundary.Contains(i.Name)).Count() != boundary.Count;
            if (missing)
            {
                throw new ArtifactException(
                    $"split artifact '{path}': the user model's outputs ({string.Join(", ", boundary)}) are not all inputs of the candidate model");
            }
            foreach (var input in full.Graph.Input.Where(i => boundary.Contains(i.Name) && i.Type.TensorType.Shape?.Dim.Count > 0))
            {
                input.Type.TensorType.Shape.Dim[0].ClearDimValue();
                input.Type.TensorType.Shape.Dim[0].DimParam = "rows";
            }
            candidate = engine.Load(full.ToByteArray(), sessionOptions);
            var tile = options.MaxBatchSize > 1 && SplitTilingProbe.TiledRowsScoreAlike(candidate, [.. boundary], cancellationToken);
            var split = new SplitUserSide(user, candidate.Inputs, tile);
            var userInputs = user.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            UserInputNames.RequireSplitMatches(options.UserInputs, userInputs);
            // Clients send both models' inputs: ids are checked against the tables of the model each input goes to.
            var userRows = EmbeddingIds.TableRows(OnnxModelFiles.Read(userModelPath, loadExternalData: false), split.DeclaredInputs);
            var candidateRows = EmbeddingIds.TableRows(full, split.DeclaredInputs);
            var tableRows = userRows.Zip(candidateRows, (u, c) => u == 0 ? c : u).ToArray();
            return new ServedModel(options.ModelName, options.Variant, candidate, split.DeclaredInputs, userInputs, false, split, tableRows);
        }
        catch
        {
            candidate?.Dispose();
            user.Dispose();
            throw;
        }
    }

    /// <summary>Runs synthetic zero inputs (one row per batch dimension) so first requests do not pay for lazy set-up.</summary>
    private static ServedModel Warm(ServedModel model, PodOptions options, CancellationToken cancellationToken)
    {
        try
        {
            IInferenceSession[] sessions = model.Split is { } split ? [split.User, model.Session] : [model.Session];
            RequireServedDatatypes(sessions);
            RequireRowDimension(sessions);
            for (var run = 0; run < options.WarmupRuns * sessions.Length; run++)
            {
                var session = sessions[run % sessions.Length];
                var inputs = session.Inputs.Select(i =>
                    new NamedTensor(i.Name, TensorBuffer.Allocate(i.ElementType, i.Dimensions.Select(d => d < 0 ? 1L : d).ToArray()))).ToArray();
                foreach (var output in session.Run(inputs, cancellationToken))
                {
                    output.Tensor.Dispose();
                }
                foreach (var input in inputs)
                {
                    input.Tensor.Dispose();
                }
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every input and output must be a tensor type the protocol side serves: the artifact is refused at start-up naming
    /// the tensor (a clean exit with that message), rather than failing on the first buffer of an unserved type.
    /// </summary>
    private static void RequireServedDatatypes(IEnumerable<IInferenceSession> sessions)
    {
        foreach (var (tensor, side) in sessions.SelectMany(s => s.Inputs.Select(i => (i, "input")).Concat(s.Outputs.Select(o => (o, "output")))))
        {
            if (Datatypes.Parse(Datatypes.Name(tensor.ElementType)) == TensorElementType.Undefined)
            {
                throw new ArtifactException($"the model's {side} '{tensor.Name}' holds {tensor.ElementType} elements, which this pod does not serve: "
                    + $"its tensors may be {Datatypes.Supported}");
            }
        }
    }

    /// <summary>
    /// Every input must have at least one dimension: requests are checked, counted and joined by rows along the first,
    /// and ONNX Runtime reports an input without a shape (unknown rank) as rank 0 too. Refused at start-up naming the
    /// input, rather than answering every request (the serving warm-up first) with a 500.
    /// </summary>
    private static void RequireRowDimension(IEnumerable<IInferenceSession> sessions)
    {
        foreach (var input in sessions.SelectMany(s => s.Inputs))
        {
            if (input.Dimensions.Count == 0)
            {
                throw new ArtifactException($"the model's input '{input.Name}' is a scalar or has no declared shape (rank 0 or unknown): this pod "
                    + "serves inputs with at least one dimension, the first one the rows of a request; declare its shape, e.g. ['batch', 1]");
            }
        }
    }

    /// <summary>Seconds since <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static double SecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
