using System.Diagnostics;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>
/// Runs onnx.checker.check_model(full_check=True) from Debian's python3-onnx (/usr/bin/python3, not a pyenv python),
/// installing it through the project's set-up script when it is missing.
/// </summary>
internal static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> Installed = new(Install);

    public static async Task<(int ExitCode, string Output)> CheckAsync(string modelPath)
    {
        Installed.Value.Should().BeTrue("python3-onnx must be installable through scripts/setup-onnxruntime.sh --checker-only");
        const string script = "import sys, onnx\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint('ok', m.ir_version, m.opset_import[0].version)";
        return await RunAsync(Python, "-c", script, modelPath);
    }

    private static bool Install()
    {
        if (RunAsync(Python, "-c", "import onnx.checker").GetAwaiter().GetResult().ExitCode == 0)
        {
            return true;
        }
        var script = Path.Combine(RepositoryRoot(), "scripts", "setup-onnxruntime.sh");
        return RunAsync("bash", script, "--checker-only").GetAwaiter().GetResult().ExitCode == 0;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RecOperator.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("RecOperator.sln not found above the test folder");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
