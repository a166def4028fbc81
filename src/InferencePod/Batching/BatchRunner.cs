using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Batching;

/// <summary>
/// Runs a batch as one engine call: copies each request's rows one after another into pooled pinned input buffers
/// (a split artifact's one-row user inputs repeated per candidate when requests are joined), runs, and cuts each output back into per-request tensors by row offsets. Owned by one worker (not thread-safe).
/// </summary>
internal sealed class BatchRunner(ServedModel model, int maxBatchRows) : IDisposable
{
    private readonly TensorBuffer?[] _inputBuffers = new TensorBuffer?[model.Session.Inputs.Count];
    private readonly TensorBuffer?[] _outputBuffers = new TensorBuffer?[model.Session.Outputs.Count];
    private readonly NamedTensor[] _inputs = new NamedTensor[model.Session.Inputs.Count];
    private readonly NamedTensor[] _outputs = new NamedTensor[model.Session.Outputs.Count];
    private readonly bool _outputsPreallocated = model.Session.Outputs.All(o => o.Dimensions.Skip(1).All(d => d >= 0));

    /// <summary>Outputs per item, in session output order.</summary>
    public InferTensor[][] Run(IReadOnlyList<BatchItem> items, CancellationToken cancellationToken)
    {
        var rows = items.Sum(i => (long)i.Request.Rows);
        var joined = items.Count > 1;
        var sessionInputs = model.Session.Inputs;
        for (var i = 0; i < _inputs.Length; i++)
        {
            var shape = (long[])items[0].Request.Inputs[i].Shape.Clone();
            if (joined)
            {
                shape[0] = rows;
            }
            var buffer = TensorBytes.Ensure(ref _inputBuffers[i], sessionInputs[i].ElementType, shape, maxBatchRows);
            var target = TensorBytes.Of(buffer);
            var offset = 0;
            foreach (var item in items)
            {
                var input = item.Request.Inputs[i];
                // A one-row input of a many-row request is a split artifact's user row, broadcast by the graph when the
                // request runs alone; joined with other users' requests it is repeated once per row of its request.
                var repeat = joined && input.Shape.Length > 0 && input.Shape[0] == 1 ? item.Request.Rows : 1;
                for (var r = 0; r < repeat; r++)
                {
                    input.Data.Span.CopyTo(target[offset..]);
                    offset += input.Data.Length;
                }
            }
            _inputs[i] = new NamedTensor(sessionInputs[i].Name, buffer);
        }
        return model.Batchable && _outputsPreallocated
            ? RunIntoPooledOutputs(items, rows, cancellationToken)
            : RunWithEngineOutputs(items, rows, cancellationToken);
    }

    private InferTensor[][] RunIntoPooledOutputs(IReadOnlyList<BatchItem> items, long rows, CancellationToken cancellationToken)
    {
        var outputs = model.Session.Outputs;
        for (var o = 0; o < _outputs.Length; o++)
        {
            var shape = outputs[o].Dimensions.ToArray();
            shape[0] = rows;
            _outputs[o] = new NamedTensor(outputs[o].Name, TensorBytes.Ensure(ref _outputBuffers[o], outputs[o].ElementType, shape, maxBatchRows));
        }
        model.Session.Run(_inputs, _outputs, cancellationToken);
        return Scatter(items, _outputs, rows);
    }

    private InferTensor[][] RunWithEngineOutputs(IReadOnlyList<BatchItem> items, long rows, CancellationToken cancellationToken)
    {
        var results = model.Session.Run(_inputs, cancellationToken);
        try
        {
            return Scatter(items, results, rows);
        }
        finally
        {
            foreach (var result in results)
            {
                result.Tensor.Dispose();
            }
        }
    }

    private static InferTensor[][] Scatter(IReadOnlyList<BatchItem> items, IReadOnlyList<NamedTensor> outputs, long rows)
    {
        var answers = new InferTensor[items.Count][];
        for (var n = 0; n < items.Count; n++)
        {
            answers[n] = new InferTensor[outputs.Count];
        }
        for (var o = 0; o < outputs.Count; o++)
        {
            var tensor = outputs[o].Tensor;
            var bytes = TensorBytes.Of(tensor);
            if (items.Count == 1)
            {
                answers[0][o] = new InferTensor(outputs[o].Name, tensor.ElementType, tensor.Shape.ToArray(), bytes.ToArray());
                continue;
            }
            if (tensor.Shape.Length == 0 || tensor.Shape[0] != rows)
            {
                throw new InvalidOperationException($"output '{outputs[o].Name}' has shape {tensor.ShapeText}, not {rows} rows; it cannot be split by request");
            }
            var rowBytes = bytes.Length / (int)rows;
            // One copy of the output per batch; each request's answer is its rows of it (answers are only read).
            var copy = bytes.ToArray();
            var offset = 0;
            for (var n = 0; n < items.Count; n++)
            {
                var itemRows = items[n].Request.Rows;
                var shape = tensor.Shape.ToArray();
                shape[0] = itemRows;
                answers[n][o] = new InferTensor(outputs[o].Name, tensor.ElementType, shape, copy.AsMemory(offset, itemRows * rowBytes));
                offset += itemRows * rowBytes;
            }
        }
        return answers;
    }

    public void Dispose()
    {
        foreach (var buffer in _inputBuffers.Concat(_outputBuffers))
        {
            buffer?.Dispose();
        }
    }
}
