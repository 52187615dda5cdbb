using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data.Seeding;

/// <summary>SQL Server cannot run here: this checks the rows SqlBulkCopy would receive, built from the SQL Server model.</summary>
public class SqlServerBulkInserterTests
{
    private static SqlServerBounceDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerBounceDbContext>()
            .UseSqlServer("Server=sqlserver.invalid;Database=BounceDashboard;TrustServerCertificate=true")
            .Options);

    [Fact]
    public void ToDataTable_ShouldHoldEveryColumnInItsStoredType_WhenBuiltFromTheSqlServerModel()
    {
        using var db = CreateContext();
        var table = BulkTable.For<Delivery>(db.Model);
        var delivery = new DeliveryBuilder(campaignId: 3, contactId: 7).HardBounced().Build();

        using var data = SqlServerBulkInserter.ToDataTable(table, [table.RowOf(delivery)]);

        Assert.Equal("Deliveries", data.TableName);
        Assert.Equal(table.Columns.Select(c => c.Name), data.Columns.Cast<System.Data.DataColumn>().Select(c => c.ColumnName));
        Assert.Equal(typeof(string), data.Columns[nameof(Delivery.State)]!.DataType);
        Assert.Equal("HardBounced", data.Rows[0][nameof(Delivery.State)]);
        Assert.Equal(typeof(DateTimeOffset), data.Columns[nameof(Delivery.CreatedAt)]!.DataType);
        Assert.Equal(TestData.Now, data.Rows[0][nameof(Delivery.CreatedAt)]);
        Assert.Equal(DBNull.Value, data.Rows[0][nameof(Delivery.OpenedAt)]);
    }
}
