using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.SqlServer
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
                type: "nvarchar(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "PatternHash",
                table: "BounceEvents",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "BounceReportCells",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Day = table.Column<int>(type: "int", nullable: false),
                    CampaignId = table.Column<long>(type: "bigint", nullable: false),
                    SendingDomain = table.Column<string>(type: "nvarchar(253)", maxLength: 253, nullable: false),
                    SendingIp = table.Column<string>(type: "nvarchar(45)", maxLength: 45, nullable: false),
                    PatternHash = table.Column<long>(type: "bigint", nullable: false),
                    Hard = table.Column<bool>(type: "bit", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Amount = table.Column<int>(type: "int", nullable: false),
                    ExampleEventId = table.Column<long>(type: "bigint", nullable: false)
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
