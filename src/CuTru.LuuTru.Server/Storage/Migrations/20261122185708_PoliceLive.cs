using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PoliceLive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commune_event_counters",
                columns: table => new
                {
                    commune_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commune_event_counters", x => x.commune_code);
                });

            migrationBuilder.CreateTable(
                name: "commune_events",
                columns: table => new
                {
                    commune_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    notification_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payload = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commune_events", x => new { x.commune_code, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "watchlist",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    listed_by = table.Column<Guid>(type: "uuid", nullable: false),
                    listed_in_commune = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    removed_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_watchlist", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "watchlist_hits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    watchlist_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notification_id = table.Column<Guid>(type: "uuid", nullable: false),
                    guest_index = table.Column<int>(type: "integer", nullable: false),
                    commune_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_watchlist_hits", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_staying",
                table: "notifications",
                columns: new[] { "commune_code", "departure_at" },
                filter: "status = 'Recorded'");

            migrationBuilder.CreateIndex(
                name: "ix_notification_guests_name_key",
                table: "notification_guests",
                column: "name_key")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_commune_events_occurred_at",
                table: "commune_events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_document_number",
                table: "watchlist",
                column: "document_number",
                filter: "removed_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_hits_commune_code_at",
                table: "watchlist_hits",
                columns: new[] { "commune_code", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_hits_notification_id_guest_index_watchlist_id",
                table: "watchlist_hits",
                columns: new[] { "notification_id", "guest_index", "watchlist_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_hits_watchlist_id_at",
                table: "watchlist_hits",
                columns: new[] { "watchlist_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commune_event_counters");

            migrationBuilder.DropTable(
                name: "commune_events");

            migrationBuilder.DropTable(
                name: "watchlist");

            migrationBuilder.DropTable(
                name: "watchlist_hits");

            migrationBuilder.DropIndex(
                name: "ix_notifications_staying",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notification_guests_name_key",
                table: "notification_guests");
        }
    }
}
