using RecOperator.KubeTypesGen;

// Usage: KubeTypesGen <swagger.json> <output folder>. Replaces every generated file in the folder.
if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: KubeTypesGen <swagger.json> <output folder>");
    return 2;
}

var (swaggerPath, outputDir) = (args[0], args[1]);
if (!File.Exists(swaggerPath))
{
    await Console.Error.WriteLineAsync($"KubeTypesGen: schema file '{swaggerPath}' does not exist");
    return 1;
}

var files = KubeTypesGenerator.Generate(await File.ReadAllTextAsync(swaggerPath));
Directory.CreateDirectory(outputDir);
foreach (var stale in Directory.EnumerateFiles(outputDir, "*.cs"))
{
    File.Delete(stale);
}

foreach (var (name, content) in files)
{
    await File.WriteAllTextAsync(Path.Combine(outputDir, name), content);
}

Console.WriteLine($"KubeTypesGen: wrote {files.Count} files to {outputDir}");
return 0;
