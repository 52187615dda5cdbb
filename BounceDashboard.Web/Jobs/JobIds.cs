namespace BounceDashboard.Web.Jobs;

/// <summary>Recurring-job ids, one constant per job (the Hangfire dashboard shows them).</summary>
public static class JobIds
{
    public const string PurgeRawContent = "purge-inbound-raw-content";

    public const string DispatchDeliveries = "dispatch-deliveries";

    /// <summary>One recurring poll per configured mailbox: <c>poll-mailbox:{Name}</c>.</summary>
    public static string PollMailbox(string mailboxName) => $"poll-mailbox:{mailboxName}";
}
