using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboundMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "InboundMessageId",
                table: "BounceEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 800, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Format = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RawContent = table.Column<byte[]>(type: "BLOB", nullable: true),
                    RawContentDroppedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClassifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EngineVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MailboxWatermarks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MailboxName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UidValidity = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUid = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSuccessAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailboxWatermarks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_InboundMessageId",
                table: "BounceEvents",
                column: "InboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_ContentHash",
                table: "InboundMessages",
                column: "ContentHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_EngineVersion",
                table: "InboundMessages",
                column: "EngineVersion");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Outcome_ReceivedAt",
                table: "InboundMessages",
                columns: new[] { "Outcome", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_RawKept_ReceivedAt",
                table: "InboundMessages",
                column: "ReceivedAt",
                filter: "[RawContentDroppedAt] IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Source_SourceKey",
                table: "InboundMessages",
                columns: new[] { "Source", "SourceKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailboxWatermarks_MailboxName",
                table: "MailboxWatermarks",
                column: "MailboxName",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_BounceEvents_InboundMessages_InboundMessageId",
                table: "BounceEvents",
                column: "InboundMessageId",
                principalTable: "InboundMessages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_BounceEvents_InboundMessages_InboundMessageId",
                table: "BounceEvents");

            migrationBuilder.DropTable(
                name: "InboundMessages");

            migrationBuilder.DropTable(
                name: "MailboxWatermarks");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_InboundMessageId",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "InboundMessageId",
                table: "BounceEvents");
        }
    }
}
