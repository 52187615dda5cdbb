using System.Globalization;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// <c>api-key create --name NAME --role Admin|Marketer</c> prints a new key once (only its hash is stored);
/// <c>api-key list</c> lists the keys; <c>api-key revoke --name NAME</c> revokes one for good. The operator who can run
/// the app's command line owns its database, so no sign-in is asked; keys made here name "command line" as creator.
/// </summary>
public sealed class ApiKeyCommand(Func<HostApplicationBuilder> createBuilder) : ICliCommand
{
    private const string Usage =
        "usage: api-key create --name NAME --role Admin|Marketer\n" +
        "       api-key list\n" +
        "       api-key revoke --name NAME\n" +
        "  create prints the new key on standard output, once: only its hash is stored. Send it in the X-Api-Key header.\n" +
        "  Marketer keys read; Admin keys may also change the suppression list. A revoked key answers 401 for good.";

    public ApiKeyCommand()
        : this(CliHost.CreateDefaultBuilder)
    {
    }

    public string Name => "api-key";

    public string Summary => "api-key create --name N --role Admin|Marketer | list | revoke --name N  manage HTTP API keys";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (args.Count == 0 || args.Any(a => a is "-h" or "--help"))
        {
            await (args.Count == 0 ? errorOutput : output).WriteLineAsync(Usage);
            return args.Count == 0 ? CliExitCodes.Usage : CliExitCodes.Success;
        }

        if (!TryParse(args, out var verb, out var name, out var role, out var error))
        {
            await errorOutput.WriteLineAsync($"api-key: {error}");
            await errorOutput.WriteLineAsync(Usage);
            return CliExitCodes.Usage;
        }

        if (await CliHost.StartAsync<ApiKeyCommands>(WithKeyServices, Name, errorOutput, cancellationToken) is not var (host, commands))
        {
            return CliExitCodes.Failure;
        }

        using (host)
        {
            switch (verb)
            {
                case "create":
                {
                    var created = await commands.CreateAsync(ApiKeyCommands.CommandLineActor, name!, role!, cancellationToken);
                    if (created.Key is not { } key)
                    {
                        await errorOutput.WriteLineAsync($"api-key: {created.Result.Message}");
                        return CliExitCodes.Failure;
                    }

                    // The key alone on standard output (KEY=$(... api-key create ...)); the words on standard error.
                    await output.WriteLineAsync(key.Secret);
                    await errorOutput.WriteLineAsync($"api-key: {created.Result.Message}");
                    return CliExitCodes.Success;
                }

                case "revoke":
                {
                    var result = await commands.RevokeAsync(ApiKeyCommands.CommandLineActor, name!, cancellationToken);
                    await errorOutput.WriteLineAsync($"api-key: {result.Message}");
                    return result.Succeeded ? CliExitCodes.Success : CliExitCodes.Failure;
                }

                default:
                {
                    var keys = await new ApiKeyQueries(host.Services.GetRequiredService<IDbContextFactory<BounceDbContext>>()).ListAsync(cancellationToken);
                    foreach (var key in keys)
                    {
                        await output.WriteLineAsync(string.Create(
                            CultureInfo.InvariantCulture,
                            $"{key.Name}\t{key.Role}\t{key.DisplayPrefix}...\tcreated {key.CreatedAt:u} by {key.CreatedBy}\tlast used {(key.LastUsedAt is { } used ? used.ToString("u", CultureInfo.InvariantCulture) : "never")}\t{(key.RevokedAt is { } revoked ? "revoked " + revoked.ToString("u", CultureInfo.InvariantCulture) : "active")}"));
                    }

                    await errorOutput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"api-key: {keys.Count} keys"));
                    return CliExitCodes.Success;
                }
            }
        }
    }

    internal static bool TryParse(IReadOnlyList<string> args, out string verb, out string? name, out string? role, out string? error)
    {
        verb = args[0];
        name = null;
        role = null;
        error = null;
        for (var i = 1; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--name" when value is not null:
                    name = value;
                    i++;
                    break;
                case "--role" when value is not null:
                    role = value;
                    i++;
                    break;
                default:
                    error = $"unexpected argument '{args[i]}'";
                    return false;
            }
        }

        error = verb switch
        {
            "create" when name is null || role is null => "create needs --name and --role",
            "revoke" when name is null => "revoke needs --name",
            "revoke" or "list" when role is not null => $"{verb} takes no --role",
            "list" when name is not null => "list takes no --name",
            "create" or "revoke" or "list" => null,
            _ => $"unknown action '{verb}' (create, list or revoke)",
        };
        return error is null;
    }

    private HostApplicationBuilder WithKeyServices()
    {
        var builder = createBuilder();
        builder.Services.AddSingleton<ApiKeyCommands>();
        return builder;
    }
}
