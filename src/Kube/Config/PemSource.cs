using System.Text;

namespace RecOperator.Kube.Config;

/// <summary>A PEM given inline as base64 (<c>*-data</c>) or as a file path; the inline form wins, as in kubectl.</summary>
internal static class PemSource
{
    public static (string Pem, string Field)? Read(YamlFields fields, string dataKey, string fileKey, string folder)
    {
        if (fields.Text(dataKey) is { Length: > 0 } data)
        {
            try
            {
                return (Encoding.UTF8.GetString(Convert.FromBase64String(data)), $"{fields.Path}.{dataKey}");
            }
            catch (FormatException)
            {
                throw fields.Error(dataKey, "is not valid base64");
            }
        }

        if (fields.Text(fileKey) is { Length: > 0 } file)
        {
            var full = Path.Combine(folder, file);
            return File.Exists(full) ? (File.ReadAllText(full), $"{fields.Path}.{fileKey}") : throw fields.Error(fileKey, $"file '{full}' does not exist");
        }

        return null;
    }
}
