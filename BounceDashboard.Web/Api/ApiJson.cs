using System.Text.Json;
using System.Text.Json.Serialization;

namespace BounceDashboard.Web.Api;

/// <summary>How API request bodies are read: web defaults, enums by name, and unknown fields refused.</summary>
internal static class ApiJson
{
    /// <summary>The largest JSON body an API route reads; a larger one answers 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static JsonSerializerOptions Body { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>
    /// Reads a JSON body: 415 for another content type, 413 above <see cref="MaxBodyBytes"/>, 400 for malformed JSON,
    /// an unknown field or a missing body.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.UnsupportedMediaType("application/json", request.ContentType));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, ApiProblems.TooLarge(MaxBodyBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, ApiProblems.TooLarge(MaxBodyBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = buffer.Length == 0 ? null : JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Body);
            return value is null
                ? (null, ApiProblems.BadRequest("Missing body", "Send a JSON object as the body."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest(
                "Invalid JSON body",
                $"The body could not be read at {ex.Path ?? "$"}: an unknown field, a value of the wrong type, or malformed JSON. Nothing was changed."));
        }
    }
}
