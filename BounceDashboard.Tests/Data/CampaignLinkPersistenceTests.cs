using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>Campaign links on real SQLite with the real migrations: one number per campaign, gone with the campaign.</summary>
public sealed class CampaignLinkPersistenceTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<Campaign> SeedCampaignAsync(string name)
    {
        var campaign = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.org", "News", TestData.Now);
        await _database.SeedAsync(campaign);
        return campaign;
    }

    [Fact]
    public async Task SaveChanges_ShouldRefuseTheLink_WhenItsNumberIsTakenInTheSameCampaign()
    {
        var campaign = await SeedCampaignAsync("One");
        var other = await SeedCampaignAsync("Two");
        await _database.SeedAsync(CampaignLink.Create(campaign.Id, 1, "https://example.org/a"), CampaignLink.Create(other.Id, 1, "https://example.org/b"));

        await using var db = _database.CreateContext();
        db.CampaignLinks.Add(CampaignLink.Create(campaign.Id, 1, "https://example.org/c"));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Delete_ShouldRemoveTheLinks_WhenTheirCampaignIsDeleted()
    {
        var campaign = await SeedCampaignAsync("One");
        await _database.SeedAsync([.. CampaignLink.ForCampaign(campaign.Id, ["https://example.org/a", "https://example.org/b"])]);

        await using (var db = _database.CreateContext())
        {
            Assert.Equal(2, await db.CampaignLinks.CountAsync(l => l.CampaignId == campaign.Id));
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteDeleteAsync();
        }

        await using var check = _database.CreateContext();
        Assert.Equal(0, await check.CampaignLinks.CountAsync());
    }
}
