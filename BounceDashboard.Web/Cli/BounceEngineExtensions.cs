using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Web.Cli;

internal static class BounceEngineExtensions
{
    /// <summary>
    /// The engine promises never to throw on bad input; the command line keeps going even if it breaks that
    /// promise, reporting the message as unparseable with the exception as its error text.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "One bad message must not stop a run over thousands.")]
    public static BounceReport ParseSafely(this BounceEngine engine, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            return engine.Parse(content, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return BounceReport.Unparseable($"engine error: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
