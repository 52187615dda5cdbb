using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace BounceDashboard.Domain.Tracking;

/// <summary>
/// Creates and verifies the token that ties mail back to its delivery. One token serves the VERP return path
/// (<c>bounces+TOKEN@domain</c>), the <see cref="TrackingHeaders.Token"/> header and the open/click URLs.
/// </summary>
/// <remarks>
/// <para>
/// Format: 21 bytes, base32-encoded (RFC 4648 alphabet, lower case, no padding) into 34 characters:
/// one version byte (1), the delivery id as 8 bytes big-endian, and the first 12 bytes (96 bits) of
/// HMAC-SHA256(key, version byte + id bytes).
/// </para>
/// <para>
/// Why base32 in lower case: the token travels in an address local part, which some MTAs lower-case and which our
/// own <c>EmailAddress.Normalize</c> lower-cases, so it must survive case folding; 34 characters fit the 64-octet
/// local part beside "bounces+". Verification accepts either case and compares the MAC in constant time.
/// The key comes from configuration; at least 32 bytes are required.
/// </para>
/// </remarks>
public sealed class TrackingTokenSigner
{
    /// <summary>Characters in a token.</summary>
    public const int TokenLength = 34;

    /// <summary>Shortest accepted key.</summary>
    public const int MinimumKeyLength = 32;

    private const byte Version = 1;
    private const int IdLength = 8;
    private const int MacLength = 12;
    private const int PayloadLength = 1 + IdLength;
    private const int TokenBytes = PayloadLength + MacLength;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private readonly byte[] _key;

    public TrackingTokenSigner(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"The tracking key must be at least {MinimumKeyLength} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>The token for a saved delivery.</summary>
    public string Create(long deliveryId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deliveryId);
        Span<byte> token = stackalloc byte[TokenBytes];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(1, IdLength), deliveryId);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, token[..PayloadLength], mac);
        mac[..MacLength].CopyTo(token[PayloadLength..]);
        return Encode(token);
    }

    /// <summary>True, with the delivery id, when the token is well formed and signed with this key.</summary>
    public bool TryVerify([NotNullWhen(true)] string? token, out long deliveryId)
    {
        deliveryId = 0;
        if (token is null || token.Length != TokenLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[TokenBytes];
        if (!TryDecode(token, bytes) || bytes[0] != Version)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, bytes[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], bytes[PayloadLength..]))
        {
            return false;
        }

        var id = BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(1, IdLength));
        if (id <= 0)
        {
            return false;
        }

        deliveryId = id;
        return true;
    }

    private static string Encode(ReadOnlySpan<byte> data)
    {
        Span<char> chars = stackalloc char[TokenLength];
        int buffer = 0, bits = 0, index = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[index++] = Alphabet[(buffer >> bits) & 31];
            }

            buffer &= (1 << bits) - 1;
        }

        if (bits > 0)
        {
            chars[index++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars[..index]);
    }

    private static bool TryDecode(string text, Span<byte> destination)
    {
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in text)
        {
            var value = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= 'A' and <= 'Z' => c - 'A',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (index == destination.Length)
                {
                    return false;
                }

                destination[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        // 34 characters carry 170 bits: 168 of data and 2 padding bits that must be zero (canonical form only).
        return index == destination.Length && (buffer & ((1 << bits) - 1)) == 0;
    }
}
