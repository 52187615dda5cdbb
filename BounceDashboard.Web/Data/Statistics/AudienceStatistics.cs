using BounceDashboard.Domain.Contacts;

namespace BounceDashboard.Web.Data.Statistics;

/// <summary>
/// How many members of an audience have a contact status and are (or are not) on the suppression list: one row per
/// (audience, status, suppressed), kept by database triggers on AudienceMembers, Contacts and SuppressionEntries in
/// the writing transaction (<see cref="AudienceStatisticsTriggers"/>). The app only reads it, so the audiences list,
/// an audience's page and the campaign editor read at most eight rows per audience instead of joining every member
/// to its contact. Rows that fall to zero stay.
/// </summary>
public sealed class AudienceStatistics
{
    private AudienceStatistics()
    {
    }

    public long AudienceId { get; private set; }

    public ContactStatus Status { get; private set; }

    /// <summary>Whether the members' addresses have a suppression entry in force (LiftedAt null).</summary>
    public bool Suppressed { get; private set; }

    public int Members { get; private set; }
}
