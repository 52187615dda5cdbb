namespace BounceDashboard.Web.Api;

/// <summary>RFC 7807 problem details for every API error, each with a title that says what went wrong.</summary>
internal static class ApiProblems
{
    public static IResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Admin key required", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult Conflict(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult TooLarge(long limit) =>
        TypedResults.Problem(
            title: "Message too large",
            detail: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The body is larger than the {limit:N0}-byte limit. Nothing was stored."),
            statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult UnsupportedMediaType(string expected, string? actual) =>
        TypedResults.Problem(
            title: "Unsupported content type",
            detail: $"Send the body as {expected}, not '{actual ?? "(none)"}'.",
            statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>Writes a problem outside an endpoint (authentication, the rate limiter): JSON whatever the Accept header says.</summary>
    public static Task Write(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
}
