namespace BounceDashboard.Web.Cli;

/// <summary>Process exit codes shared by the command-line verbs.</summary>
public static class CliExitCodes
{
    public const int Success = 0;

    /// <summary>The verb ran but something it was asked to read could not be read.</summary>
    public const int Failure = 1;

    /// <summary>The arguments were wrong; the usage text went to standard error.</summary>
    public const int Usage = 2;
}
