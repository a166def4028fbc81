using RecOperator.Crds;
using RecOperator.Operator.Simulation;

namespace RecOperator.Cli.Commands;

/// <summary>
/// Which latency calibration <c>recop sim</c> uses: the file asked for (strict: it must exist and name only the
/// model's variants), none, or by default the committed one when it exists (its entries for variants this model
/// does not have are left out, so another model simulates with the guessed curves it would have had anyway).
/// </summary>
internal static class SimCalibrationFile
{
    public const string None = "none";

    public static async Task<LatencyCalibration?> LoadAsync(string? requested, string defaultFile, RecModel model, CancellationToken ct)
    {
        var names = model.Spec.Variants.Select(v => v.Name).ToList();
        if (requested is not null)
        {
            if (requested == None)
            {
                return null;
            }

            var explicitCalibration = await ReadAsync(requested, ct).ConfigureAwait(false);
            explicitCalibration.CheckVariants(names);
            return explicitCalibration;
        }

        if (!File.Exists(defaultFile))
        {
            return null;
        }

        var calibration = await ReadAsync(defaultFile, ct).ConfigureAwait(false);
        return calibration with { Variants = calibration.Variants.Where(v => names.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) };
    }

    private static async Task<LatencyCalibration> ReadAsync(string file, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file}: no such file");
        }

        return LatencyCalibration.Read(file, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false));
    }
}
