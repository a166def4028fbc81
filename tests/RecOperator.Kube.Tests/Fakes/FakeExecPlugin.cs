using System.Text;
using System.Text.Json.Nodes;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>
/// An exec credential plugin as a real bash script in a test folder. Each run appends to a run log, saves what it
/// was given (KUBERNETES_EXEC_INFO, its arguments, its environment) under its run number, and prints
/// <c>answer-N.json</c> for run N, else <c>answer.json</c>.
/// </summary>
public sealed class FakeExecPlugin
{
    private readonly string _folder;

    private FakeExecPlugin(string folder, string scriptPath) => (_folder, ScriptPath) = (folder, scriptPath);

    /// <summary>Where the script is; <see cref="Create"/> puts it in <c>bin/</c> under the given folder.</summary>
    public string ScriptPath { get; }

    /// <summary>How often the plugin ran so far.</summary>
    public int Runs => File.Exists(RunLog) ? File.ReadAllLines(RunLog).Length : 0;

    private string RunLog => Path.Combine(_folder, "runs.log");

    public static FakeExecPlugin Create(string folder, string name = "plugin.sh")
    {
        var state = Directory.CreateDirectory(Path.Combine(folder, "plugin-state")).FullName;
        var script = Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "bin")).FullName, name);
        WriteScript(script, $"""
            dir='{state}'
            echo run >> "$dir/runs.log"
            n=$(wc -l < "$dir/runs.log")
            printf '%s' "${"{"}KUBERNETES_EXEC_INFO-{"}"}" > "$dir/exec-info-$n.json"
            printf '%s\0' "$@" > "$dir/args-$n"
            env -0 > "$dir/env-$n"
            if [ -f "$dir/answer-$n.json" ]; then cat "$dir/answer-$n.json"; else cat "$dir/answer.json"; fi
            """);
        return new FakeExecPlugin(state, script);
    }

    /// <summary>Writes an executable bash script with the given body (for plugins that fail or hang).</summary>
    public static string WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/bash\nset -eu\n" + body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    /// <summary>What every run prints unless <see cref="AnswerRun"/> set one for that run.</summary>
    public FakeExecPlugin Answer(JsonObject credential)
    {
        File.WriteAllText(Path.Combine(_folder, "answer.json"), credential.ToJsonString());
        return this;
    }

    public FakeExecPlugin AnswerRun(int run, JsonObject credential)
    {
        File.WriteAllText(Path.Combine(_folder, $"answer-{run}.json"), credential.ToJsonString());
        return this;
    }

    /// <summary>The ExecCredential the plugin found in KUBERNETES_EXEC_INFO on its run <paramref name="run"/> (1-based).</summary>
    public JsonObject ExecInfo(int run) => JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, $"exec-info-{run}.json")))!.AsObject();

    public IReadOnlyList<string> Args(int run) => Split(Path.Combine(_folder, $"args-{run}"));

    public IReadOnlyDictionary<string, string> Env(int run) =>
        Split(Path.Combine(_folder, $"env-{run}"))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    public static JsonObject Token(string token, DateTimeOffset? expires = null, string apiVersion = "client.authentication.k8s.io/v1") =>
        Credential(apiVersion, new JsonObject { ["token"] = token }, expires);

    public static JsonObject Certificate(string certificatePem, string keyPem, DateTimeOffset? expires = null) =>
        Credential("client.authentication.k8s.io/v1", new JsonObject { ["clientCertificateData"] = certificatePem, ["clientKeyData"] = keyPem }, expires);

    private static JsonObject Credential(string apiVersion, JsonObject status, DateTimeOffset? expires)
    {
        if (expires is { } e)
        {
            status["expirationTimestamp"] = e.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "ExecCredential", ["status"] = status };
    }

    private static string[] Split(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(path)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
