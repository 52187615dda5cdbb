using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Security;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>A key just made: its secret is here once and never stored.</summary>
public sealed record CreatedApiKey(long Id, string Name, string Role, string Secret);

/// <summary>The outcome of creating a key: the key when <see cref="CommandResult.Succeeded"/>.</summary>
public sealed record CreateApiKeyResult(CommandResult Result, CreatedApiKey? Key);

public interface IApiKeyCommands
{
    /// <summary>Makes a key (Admin only, server-side) with a unique name and a role; the secret is returned once.</summary>
    Task<CreateApiKeyResult> CreateAsync(ClaimsPrincipal user, string name, string role, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key for good (Admin only, server-side).</summary>
    Task<CommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default);
}

/// <summary>
/// Creates and revokes API keys. The role is checked here whatever the page showed; the command line creates keys as
/// the operator (<see cref="CreateAsync(string, string, string, CancellationToken)"/>). Logs name ids and key names,
/// never a secret. Both are in the audit log (ManageApiKey, target <c>api:NAME</c>).
/// </summary>
public sealed class ApiKeyCommands(DbCommandRunner runner, TimeProvider time, ILogger<ApiKeyCommands> logger) : IApiKeyCommands
{
    /// <summary>The creator recorded for keys made with the <c>api-key</c> command.</summary>
    public const string CommandLineActor = "command line";

    public async Task<CreateApiKeyResult> CreateAsync(ClaimsPrincipal user, string name, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SuppressionCommands.ActorFrom(user) is not { IsAdmin: true } actor)
        {
            return new CreateApiKeyResult(new CommandResult(CommandStatus.Forbidden, "Only an Admin can create API keys."), null);
        }

        return await CreateAsync(actor.Name, name, role, cancellationToken);
    }

    /// <summary>Makes a key on behalf of <paramref name="createdBy"/> (the command line: no role check, the operator owns the database).</summary>
    public async Task<CreateApiKeyResult> CreateAsync(string createdBy, string name, string role, CancellationToken cancellationToken = default)
    {
        ApiKey key;
        string secret;
        try
        {
            (key, secret) = ApiKey.Create(name, role, createdBy, time.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return new CreateApiKeyResult(new CommandResult(CommandStatus.Invalid, ex.Message), null);
        }

        return await runner.RunAsync(
            nameof(CreateAsync),
            async (db, _, ct) =>
            {
                if (await db.ApiKeys.AnyAsync(k => k.Name == key.Name, ct))
                {
                    return (new CreateApiKeyResult(new CommandResult(CommandStatus.Invalid, $"A key named '{key.Name}' exists already (revoked keys keep their names)."), null), false);
                }

                db.ApiKeys.Add(key);
                db.AuditLogEntries.Add(AuditLogEntry.Record(key.CreatedAt, createdBy, AuditAction.ManageApiKey, key.ActorName, details: $"Created, role {key.Role}"));
                await db.SaveChangesAsync(ct);
                logger.LogInformation("API key {KeyId} '{KeyName}' ({Role}) created by {Actor}", key.Id, key.Name, key.Role, createdBy);
                return (new CreateApiKeyResult(
                    new CommandResult(CommandStatus.Done, $"Key '{key.Name}' ({key.Role}) created. Copy it now: it is not shown again."),
                    new CreatedApiKey(key.Id, key.Name, key.Role, secret)), true);
            },
            cancellationToken);
    }

    public async Task<CommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SuppressionCommands.ActorFrom(user) is not { IsAdmin: true } actor)
        {
            return new CommandResult(CommandStatus.Forbidden, "Only an Admin can revoke API keys.");
        }

        return await RevokeAsync(actor.Name, k => k.Id == id, cancellationToken);
    }

    /// <summary>Revokes the key named <paramref name="name"/> on behalf of <paramref name="revokedBy"/> (the command line).</summary>
    public async Task<CommandResult> RevokeAsync(string revokedBy, string name, CancellationToken cancellationToken = default) =>
        await RevokeAsync(revokedBy, k => k.Name == name, cancellationToken);

    private async Task<CommandResult> RevokeAsync(string revokedBy, System.Linq.Expressions.Expression<Func<ApiKey, bool>> which, CancellationToken cancellationToken) =>
        await runner.RunAsync(
            nameof(RevokeAsync),
            async (db, _, ct) =>
            {
                var key = await db.ApiKeys.SingleOrDefaultAsync(which, ct);
                if (key is null)
                {
                    return (new CommandResult(CommandStatus.NotFound, "There is no such API key."), false);
                }

                var now = time.GetUtcNow();
                try
                {
                    key.Revoke(revokedBy, now);
                }
                catch (DomainException ex)
                {
                    return (new CommandResult(CommandStatus.Invalid, ex.Message), false);
                }

                db.AuditLogEntries.Add(AuditLogEntry.Record(now, revokedBy, AuditAction.ManageApiKey, key.ActorName, details: "Revoked"));

                await db.SaveChangesAsync(ct);
                logger.LogInformation("API key {KeyId} '{KeyName}' revoked by {Actor}", key.Id, key.Name, revokedBy);
                return (new CommandResult(CommandStatus.Done, $"Key '{key.Name}' revoked: it answers 401 from now on."), true);
            },
            cancellationToken);
}
