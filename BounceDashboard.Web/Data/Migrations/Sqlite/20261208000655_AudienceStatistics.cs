using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AudienceStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AudienceStatistics",
                columns: table => new
                {
                    AudienceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Suppressed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Members = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AudienceStatistics", x => new { x.AudienceId, x.Status, x.Suppressed });
                    table.ForeignKey(
                        name: "FK_AudienceStatistics_Audiences_AudienceId",
                        column: x => x.AudienceId,
                        principalTable: "Audiences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AudienceMembers_AudienceId_AddedAt_ContactId",
                table: "AudienceMembers",
                columns: new[] { "AudienceId", "AddedAt", "ContactId" },
                descending: new[] { false, true, false });

            // Triggers keep the audience counts in the writing transaction; the fill counts what is already there.
            foreach (var sql in AudienceStatisticsTriggers.SqliteCreate().Concat(AudienceStatisticsTriggers.SqliteFill()))
            {
                migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in AudienceStatisticsTriggers.SqliteDrop())
            {
                migrationBuilder.Sql(sql);
            }

            migrationBuilder.DropTable(
                name: "AudienceStatistics");

            migrationBuilder.DropIndex(
                name: "IX_AudienceMembers_AudienceId_AddedAt_ContactId",
                table: "AudienceMembers");
        }
    }
}
