using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Contacts_Status_Email",
                table: "Contacts",
                columns: new[] { "Status", "Email" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLogEntries_Action_At",
                table: "AuditLogEntries",
                columns: new[] { "Action", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLogEntries_Actor_At",
                table: "AuditLogEntries",
                columns: new[] { "Actor", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_Status_Email",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_AuditLogEntries_Action_At",
                table: "AuditLogEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditLogEntries_Actor_At",
                table: "AuditLogEntries");
        }
    }
}
