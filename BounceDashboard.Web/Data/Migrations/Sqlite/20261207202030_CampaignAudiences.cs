using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CampaignAudiences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CampaignAudiences",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    AudienceId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignAudiences", x => new { x.CampaignId, x.AudienceId });
                    table.ForeignKey(
                        name: "FK_CampaignAudiences_Audiences_AudienceId",
                        column: x => x.AudienceId,
                        principalTable: "Audiences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CampaignAudiences_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignAudiences_AudienceId",
                table: "CampaignAudiences",
                column: "AudienceId");

            // Every campaign's audience goes over into the join table before the column goes.
            migrationBuilder.Sql(
                "INSERT INTO \"CampaignAudiences\" (\"CampaignId\", \"AudienceId\") " +
                "SELECT \"Id\", \"AudienceId\" FROM \"Campaigns\" WHERE \"AudienceId\" IS NOT NULL;");

            migrationBuilder.DropForeignKey(
                name: "FK_Campaigns_Audiences_AudienceId",
                table: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_AudienceId",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "AudienceId",
                table: "Campaigns");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AudienceId",
                table: "Campaigns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_AudienceId",
                table: "Campaigns",
                column: "AudienceId");

            migrationBuilder.AddForeignKey(
                name: "FK_Campaigns_Audiences_AudienceId",
                table: "Campaigns",
                column: "AudienceId",
                principalTable: "Audiences",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // A campaign keeps one of its audiences (the lowest id): the old column held one.
            migrationBuilder.Sql(
                "UPDATE \"Campaigns\" SET \"AudienceId\" = " +
                "(SELECT MIN(a.\"AudienceId\") FROM \"CampaignAudiences\" a WHERE a.\"CampaignId\" = \"Campaigns\".\"Id\");");

            migrationBuilder.DropTable(
                name: "CampaignAudiences");
        }
    }
}
