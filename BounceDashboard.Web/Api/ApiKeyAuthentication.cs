using System.Security.Claims;
using System.Text.Encodings.Web;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Api;

/// <summary>The API's authentication: a key in the <c>X-Api-Key</c> header, its scheme, claims and policies.</summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    public const string HeaderName = "X-Api-Key";

    /// <summary>Any valid key (Marketer or Admin): the read routes.</summary>
    public const string ReadPolicy = "ApiKeyRead";

    /// <summary>An Admin key: the routes that change the suppression list.</summary>
    public const string AdminPolicy = "ApiKeyAdmin";

    /// <summary>The key's id (the rate limiter's partition).</summary>
    public const string KeyIdClaim = "bd:api_key_id";

    /// <summary>The key's own name (without the <c>api:</c> of the actor name, which is the principal's Name).</summary>
    public const string KeyNameClaim = "bd:api_key_name";
}

/// <summary>
/// Finds the key by the SHA-256 hash of the presented secret (unique index), compares the hashes in constant time,
/// refuses revoked keys, and records the last use at most once a minute per key. The principal's Name is
/// <c>api:NAME</c> (the actor of audit entries) and its role claim the key's role. Challenge and forbid answer problem
/// details (401, 403), never a redirect to the sign-in page.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IDbContextFactory<BounceDbContext> dbFactory,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string MissingKey = "Send an API key in the X-Api-Key header.";
    private const string UnknownKey = "The API key is unknown or was revoked.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyAuthentication.HeaderName, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count > 1)
        {
            return AuthenticateResult.Fail("Send one X-Api-Key header, not several.");
        }

        var secret = values.ToString().Trim();
        if (!ApiKey.LooksLikeSecret(secret))
        {
            return AuthenticateResult.Fail(UnknownKey);
        }

        var hash = ApiKey.HashOf(secret);
        var ct = Context.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == hash)
            .SingleOrDefaultAsync(ct);
        if (key is null || !key.Matches(secret) || key.IsRevoked)
        {
            Logger.LogInformation("API request refused: unknown or revoked key (prefix {Prefix})", secret[..ApiKey.DisplayPrefixLength]);
            return AuthenticateResult.Fail(UnknownKey);
        }

        await RecordUseAsync(db, key, ct);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "api-key:" + key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, key.ActorName),
                new Claim(ClaimTypes.Role, key.Role),
                new Claim(ApiKeyAuthentication.KeyIdClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ApiKeyAuthentication.KeyNameClaim, key.Name),
            ],
            ApiKeyAuthentication.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{ApiKeyAuthentication.HeaderName}\"";
        await ApiProblems.Write(
            Context,
            StatusCodes.Status401Unauthorized,
            result.Failure is null ? "API key required" : "Invalid API key",
            result.Failure?.Message ?? MissingKey);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await ApiProblems.Write(
            Context,
            StatusCodes.Status403Forbidden,
            "Admin key required",
            $"The key '{Context.User.FindFirstValue(ApiKeyAuthentication.KeyNameClaim)}' has the {Context.User.FindFirstValue(ClaimTypes.Role)} role; this action needs an {Roles.Admin} key.");

    /// <summary>One conditional UPDATE when the stored last use is a minute old or more; a failure never fails the request.</summary>
    private async Task RecordUseAsync(BounceDbContext db, ApiKey key, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!ApiKey.LastUseIsStale(key.LastUsedAt, now))
        {
            return;
        }

        var threshold = now - ApiKey.LastUseResolution;
        try
        {
            await db.ApiKeys
                .Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt <= threshold))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            Logger.LogWarning("Recording the last use of API key {KeyId} failed ({Error})", key.Id, ex.GetType().Name);
        }
    }
}
