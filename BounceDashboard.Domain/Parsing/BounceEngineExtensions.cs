namespace BounceDashboard.Domain.Parsing;

public static class BounceEngineExtensions
{
    /// <summary>
    /// The engine promises never to throw on bad input; a run over many messages (classify, the evaluation) keeps
    /// going even if it breaks that promise, reporting the message as unparseable with the exception as its error text.
    /// Returns false when the engine threw (the promise was broken).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "One bad message must not stop a run over thousands.")]
    public static bool TryParseSafely(this BounceEngine engine, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, out BounceReport report)
    {
        try
        {
            report = engine.Parse(content, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            report = BounceReport.Unparseable($"engine error: {ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }
}
