using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commune_reports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    commune_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    built_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    built_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    notifications = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commune_reports", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_arrival_at",
                table: "notifications",
                column: "arrival_at");

            migrationBuilder.CreateIndex(
                name: "ix_commune_reports_commune_code_day_kind_version",
                table: "commune_reports",
                columns: new[] { "commune_code", "day", "kind", "version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commune_reports");

            migrationBuilder.DropIndex(
                name: "ix_notifications_arrival_at",
                table: "notifications");
        }
    }
}
