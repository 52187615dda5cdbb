using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BounceReportCells : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Pattern",
                table: "BounceEvents",
                type: "TEXT",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "PatternHash",
                table: "BounceEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "BounceReportCells",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    SendingDomain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    SendingIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: false),
                    PatternHash = table.Column<long>(type: "INTEGER", nullable: false),
                    Hard = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Amount = table.Column<int>(type: "INTEGER", nullable: false),
                    ExampleEventId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BounceReportCells", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_SendingDomain_PatternHash_ReceivedAt",
                table: "BounceEvents",
                columns: new[] { "SendingDomain", "PatternHash", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_SendingIp_PatternHash_ReceivedAt",
                table: "BounceEvents",
                columns: new[] { "SendingIp", "PatternHash", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BounceReportCells_CampaignId_Day",
                table: "BounceReportCells",
                columns: new[] { "CampaignId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_BounceReportCells_Day_CampaignId_SendingDomain_SendingIp_PatternHash_Hard_Reason",
                table: "BounceReportCells",
                columns: new[] { "Day", "CampaignId", "SendingDomain", "SendingIp", "PatternHash", "Hard", "Reason" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BounceReportCells");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_SendingDomain_PatternHash_ReceivedAt",
                table: "BounceEvents");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_SendingIp_PatternHash_ReceivedAt",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "Pattern",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "PatternHash",
                table: "BounceEvents");
        }
    }
}
