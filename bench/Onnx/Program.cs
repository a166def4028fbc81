using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using RecOperator.Bench.Onnx;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

// Raw engine throughput of the reference models: scored (user, candidate) pairs per second for one session run
// per request, over pre-allocated buffers, by batch size and intra-op threads. Prints a Markdown table.
var options = BenchmarkOptions.Parse(args, ReferenceModelCatalog.Names);
var engine = OrtEngine.Create();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# {engine.Description}, {Environment.ProcessorCount} logical CPUs, {options.SecondsPerCell:0.##} s per cell\n"));
Console.WriteLine("| model | batch | intra-op threads | pairs/s | ms per run |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var name in options.Models)
{
    var model = ReferenceModelCatalog.Create(name);
    var bytes = model.Build().ToByteArray();
    foreach (var threads in options.Threads)
    {
        using var session = engine.Load(bytes, new InferenceSessionOptions { IntraOpThreads = threads, InterOpThreads = 1 });
        foreach (var batch in options.Batches)
        {
            var inputs = model.CreateInputs(batch, new DeterministicRandom(5));
            using var scores = TensorBuffer.AllocatePinned<float>(batch, 1);
            NamedTensor[] outputs = [new(model.OutputName, scores)];
            for (var i = 0; i < 3; i++)
            {
                session.Run(inputs, outputs);
            }
            var runs = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < options.SecondsPerCell)
            {
                session.Run(inputs, outputs);
                runs++;
            }
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {batch} | {threads} | {batch * runs / seconds:N0} | {seconds * 1000 / runs:0.###} |"));
        }
    }
}
