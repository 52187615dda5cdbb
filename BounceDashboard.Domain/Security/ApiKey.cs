using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Security;

/// <summary>
/// A key for the HTTP API. Only the SHA-256 hash of the secret is stored (<see cref="KeyHash"/>) with its first characters
/// (<see cref="DisplayPrefix"/>) so an admin can tell keys apart; the secret itself is shown once, when the key is created.
/// A key acts with one role (<see cref="Roles.Admin"/> or <see cref="Roles.Marketer"/>) under the actor name
/// <c>api:NAME</c>. A revoked key stays as history and never works again.
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 64;
    public const int RoleMaxLength = 32;
    public const int ActorMaxLength = 256;

    /// <summary>SHA-256 in lower-case hex.</summary>
    public const int HashLength = 64;

    /// <summary>Every secret starts with this, so a leaked key is recognisable (secret scanners, logs).</summary>
    public const string SecretPrefix = "bd_";

    /// <summary>How many characters of the secret are kept to tell keys apart (the prefix and 8 random characters).</summary>
    public const int DisplayPrefixLength = 11;

    /// <summary>Random bytes in a secret (256 bits), written as base64url.</summary>
    public const int SecretBytes = 32;

    /// <summary>The length of a secret: the prefix and 32 bytes in unpadded base64url.</summary>
    public const int SecretLength = 46;

    /// <summary>The prefix of actor names in audit entries and suppression entries made with a key.</summary>
    public const string ActorPrefix = "api:";

    private ApiKey()
    {
        Name = string.Empty;
        Role = string.Empty;
        KeyHash = string.Empty;
        DisplayPrefix = string.Empty;
        CreatedBy = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>Unique among all keys (revoked ones too), so <c>api:NAME</c> in the audit log names one key.</summary>
    public string Name { get; private set; }

    /// <summary><see cref="Roles.Admin"/> or <see cref="Roles.Marketer"/>.</summary>
    public string Role { get; private set; }

    public string KeyHash { get; private set; }

    public string DisplayPrefix { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>When the key last authenticated a request, to within <see cref="LastUseResolution"/>.</summary>
    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>The actor name the key's requests carry: <c>api:NAME</c>.</summary>
    public string ActorName => ActorPrefix + Name;

    /// <summary>The last use is written at most this often per key (one UPDATE a minute, not one per request).</summary>
    public static TimeSpan LastUseResolution { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A new key and its secret (shown once). Throws <see cref="DomainException"/> for an empty or too long name, a
    /// name with characters other than letters, digits, '-', '_' and '.', or a role other than Admin and Marketer.
    /// </summary>
    public static (ApiKey Key, string Secret) Create(string? name, string? role, string createdBy, DateTimeOffset now)
    {
        var checkedName = TextLimits.Required(name, NameMaxLength, "The key's name");
        if (!checkedName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new DomainException($"The key's name '{checkedName}' may hold only letters, digits, '-', '_' and '.'.");
        }

        var checkedRole = role?.Trim() switch
        {
            { } r when string.Equals(r, Roles.Admin, StringComparison.OrdinalIgnoreCase) => Roles.Admin,
            { } r when string.Equals(r, Roles.Marketer, StringComparison.OrdinalIgnoreCase) => Roles.Marketer,
            _ => throw new DomainException($"The key's role must be {Roles.Admin} or {Roles.Marketer}, not '{role}'."),
        };

        var secret = NewSecret();
        var key = new ApiKey
        {
            Name = checkedName,
            Role = checkedRole,
            KeyHash = HashOf(secret),
            DisplayPrefix = secret[..DisplayPrefixLength],
            CreatedAt = now,
            CreatedBy = TextLimits.Required(createdBy, ActorMaxLength, "Created by"),
        };
        return (key, secret);
    }

    /// <summary>The SHA-256 hash of a presented secret, as stored (lower-case hex).</summary>
    public static string HashOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>True when <paramref name="secret"/> hashes to <see cref="KeyHash"/>, compared in constant time.</summary>
    public bool Matches(string secret) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(KeyHash));

    /// <summary>True when a presented text could be a secret at all (prefix and length): anything else is refused unhashed.</summary>
    public static bool LooksLikeSecret(string? secret) =>
        secret is { Length: SecretLength } && secret.StartsWith(SecretPrefix, StringComparison.Ordinal);

    /// <summary>True when the last use should be written now (never written, or older than <see cref="LastUseResolution"/>).</summary>
    public static bool LastUseIsStale(DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        lastUsedAt is null || now - lastUsedAt.Value >= LastUseResolution;

    /// <summary>Records a use; returns false (nothing changed) when the last one is recent enough.</summary>
    public bool RecordUse(DateTimeOffset now)
    {
        if (!LastUseIsStale(LastUsedAt, now))
        {
            return false;
        }

        LastUsedAt = now;
        return true;
    }

    /// <summary>Revokes the key for good. Throws <see cref="DomainException"/> when it already is.</summary>
    public void Revoke(string revokedBy, DateTimeOffset now)
    {
        if (IsRevoked)
        {
            throw new DomainException($"The API key '{Name}' was already revoked.");
        }

        RevokedBy = TextLimits.Required(revokedBy, ActorMaxLength, "Revoked by");
        RevokedAt = now;
    }

    private static string NewSecret()
    {
        Span<byte> random = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(random);
        return SecretPrefix + Base64Url.EncodeToString(random);
    }
}
