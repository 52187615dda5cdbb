using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// <c>export bounces</c>: writes the bounce report to a CSV or Excel file through the same queries and writers as the
/// page's downloads, and prints one JSON line (rows, seconds, file).
/// </summary>
public sealed class ExportCommand(Func<HostApplicationBuilder> createBuilder) : ICliCommand
{
    private const string Usage =
        "usage: export bounces --from YYYY-MM-DD --to YYYY-MM-DD [--campaign ID] [--group-by domain|ip] --format csv|xlsx --out FILE [--time-zone ZONE]\n" +
        "  writes the bounce report of the bounces received from --from to --to (both days included; or ISO 8601 times with\n" +
        "  an offset, --to excluded) as CSV (one row per bounce) or Excel (a summary sheet and one row per bounce), with\n" +
        "  dates in --time-zone (an IANA name, UTC by default), and prints one JSON line: rows, seconds, file.";

    public ExportCommand()
        : this(() =>
        {
            var builder = CliHost.CreateDefaultBuilder();
            builder.AddBounceDashboardQueries();
            return builder;
        })
    {
    }

    public string Name => "export";

    public string Summary => "export bounces --from D --to D [--campaign ID] [--group-by domain|ip] --format csv|xlsx --out FILE  write the bounce report to a file";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (args.Any(a => a is "-h" or "--help"))
        {
            await output.WriteLineAsync(Usage);
            return CliExitCodes.Success;
        }

        var parsed = ExportArguments.Parse(args);
        if (parsed.Error is { } error)
        {
            await errorOutput.WriteLineAsync($"export: {error}");
            await errorOutput.WriteLineAsync(Usage);
            return CliExitCodes.Usage;
        }

        var builder = () =>
        {
            var b = createBuilder();
            b.AddBounceDashboardExports();
            return b;
        };
        if (await CliHost.StartAsync<IServiceScopeFactory>(builder, Name, errorOutput, cancellationToken) is not var (host, scopes))
        {
            return CliExitCodes.Failure;
        }

        using (host)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<IBounceReportQueries>() is null)
            {
                await errorOutput.WriteLineAsync("export: this build has no bounce report queries (IBounceReportQueries is not registered)");
                return CliExitCodes.Failure;
            }

            var exporter = scope.ServiceProvider.GetRequiredService<BounceReportExporter>();
            var path = Path.GetFullPath(parsed.Out!);
            var partial = path + ".partial";
            var clock = Stopwatch.StartNew();
            long rows;
            var truncated = false;
            try
            {
                await using (var file = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                {
                    if (parsed.Format == ExportFormat.Csv)
                    {
                        rows = await exporter.WriteCsvAsync(parsed.Request!, file, cancellationToken);
                    }
                    else
                    {
                        var result = await exporter.WriteExcelAsync(parsed.Request!, file, cancellationToken);
                        rows = result.DetailRows;
                        truncated = result.Truncated;
                    }
                }

                File.Move(partial, path, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                File.Delete(partial);
                await errorOutput.WriteLineAsync($"export: {ex.Message}");
                return CliExitCodes.Failure;
            }

            var line = new ExportLine(rows, Math.Round(clock.Elapsed.TotalSeconds, 3), path, parsed.Format == ExportFormat.Xlsx ? "xlsx" : "csv", truncated);
            await output.WriteLineAsync(JsonSerializer.Serialize(line, ExportJsonContext.Default.ExportLine));
            if (truncated)
            {
                await errorOutput.WriteLineAsync($"export: the Excel file stops at {rows:N0} bounces, the most a sheet holds; --format csv writes them all");
            }

            return CliExitCodes.Success;
        }
    }

    /// <summary>The parsed arguments, or the first problem with them.</summary>
    internal sealed record ExportArguments(BounceExportRequest? Request, ExportFormat Format, string? Out, string? Error)
    {
        public static ExportArguments Parse(IReadOnlyList<string> args)
        {
            if (args.Count == 0 || args[0] != "bounces")
            {
                return Failed("what to export: 'export bounces ...'");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            string[] known = ["--from", "--to", "--campaign", "--group-by", "--format", "--out", "--time-zone"];
            for (var i = 1; i < args.Count; i++)
            {
                if (!known.Contains(args[i]))
                {
                    return Failed($"unknown option '{args[i]}'");
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return Failed($"'{args[i]}' needs a value");
                }

                values[args[i]] = args[++i];
            }

            ExportFormat format;
            switch (values.GetValueOrDefault("--format"))
            {
                case "csv": format = ExportFormat.Csv; break;
                case "xlsx": format = ExportFormat.Xlsx; break;
                case null: return Failed("--format csv|xlsx is required");
                case var other: return Failed($"--format is csv or xlsx, not '{other}'");
            }

            if (!values.TryGetValue("--out", out var outPath) || string.IsNullOrWhiteSpace(outPath))
            {
                return Failed("--out FILE is required");
            }

            var request = BounceExportQuery.Parse(
                values.GetValueOrDefault("--from"),
                values.GetValueOrDefault("--to"),
                values.GetValueOrDefault("--campaign"),
                values.GetValueOrDefault("--group-by"),
                values.GetValueOrDefault("--time-zone"),
                out var errors);
            if (request is null)
            {
                var (name, messages) = errors.First();
                var option = name switch { "group" => "--group-by", "tz" => "--time-zone", _ => "--" + name };
                return Failed($"{option}: {messages[0]}");
            }

            return new ExportArguments(request, format, outPath, null);

            static ExportArguments Failed(string error) => new(null, ExportFormat.Csv, null, error);
        }
    }
}

/// <summary>The line <c>export</c> prints.</summary>
public sealed record ExportLine(long Rows, double Seconds, string File, string Format, bool Truncated);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ExportLine))]
internal sealed partial class ExportJsonContext : JsonSerializerContext;
