using System;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CampaignStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CampaignActivity",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "bigint", nullable: false),
                    Hour = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    Bounces = table.Column<int>(type: "int", nullable: false),
                    Opens = table.Column<int>(type: "int", nullable: false),
                    Clicks = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignActivity", x => new { x.CampaignId, x.Hour });
                    table.ForeignKey(
                        name: "FK_CampaignActivity_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CampaignDomainStatistics",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "bigint", nullable: false),
                    Domain = table.Column<string>(type: "nvarchar(253)", maxLength: 253, nullable: false),
                    Queued = table.Column<int>(type: "int", nullable: false),
                    Sending = table.Column<int>(type: "int", nullable: false),
                    AwaitingRetry = table.Column<int>(type: "int", nullable: false),
                    Delivered = table.Column<int>(type: "int", nullable: false),
                    SoftBounced = table.Column<int>(type: "int", nullable: false),
                    HardBounced = table.Column<int>(type: "int", nullable: false),
                    Skipped = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignDomainStatistics", x => new { x.CampaignId, x.Domain });
                    table.ForeignKey(
                        name: "FK_CampaignDomainStatistics_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CampaignStatistics",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "bigint", nullable: false),
                    Queued = table.Column<int>(type: "int", nullable: false),
                    Sending = table.Column<int>(type: "int", nullable: false),
                    AwaitingRetry = table.Column<int>(type: "int", nullable: false),
                    Delivered = table.Column<int>(type: "int", nullable: false),
                    SoftBounced = table.Column<int>(type: "int", nullable: false),
                    HardBounced = table.Column<int>(type: "int", nullable: false),
                    Skipped = table.Column<int>(type: "int", nullable: false),
                    Opened = table.Column<int>(type: "int", nullable: false),
                    Clicked = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignStatistics", x => x.CampaignId);
                    table.ForeignKey(
                        name: "FK_CampaignStatistics_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
            // Triggers keep the statistics in the writing transaction; the fill counts what is already there.
            foreach (var sql in StatisticsTriggers.SqlServerCreate().Concat(StatisticsTriggers.SqlServerFill()))
            {
                migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in StatisticsTriggers.SqlServerDrop())
            {
                migrationBuilder.Sql(sql);
            }
            migrationBuilder.DropTable(
                name: "CampaignActivity");

            migrationBuilder.DropTable(
                name: "CampaignDomainStatistics");

            migrationBuilder.DropTable(
                name: "CampaignStatistics");
        }
    }
}
