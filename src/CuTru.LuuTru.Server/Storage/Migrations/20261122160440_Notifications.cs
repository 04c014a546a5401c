using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    receipt_number = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    establishment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    submitted_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    commune_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    province_code = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    arrival_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    departure_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason_detail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    room = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    external_ref = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deadline_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    late = table.Column<bool>(type: "boolean", nullable: false),
                    law_version = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    flags = table.Column<string>(type: "jsonb", nullable: false),
                    host_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    host_phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    host_document_number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    checked_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancel_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_notifications_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_notifications_establishments_establishment_id",
                        column: x => x.establishment_id,
                        principalTable: "establishments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "receipt_counters",
                columns: table => new
                {
                    commune_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_receipt_counters", x => new { x.commune_code, x.day });
                });

            migrationBuilder.CreateTable(
                name: "notification_guests",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    notification_id = table.Column<Guid>(type: "uuid", nullable: false),
                    index = table.Column<int>(type: "integer", nullable: false),
                    full_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: true),
                    date_of_birth_year_only = table.Column<bool>(type: "boolean", nullable: false),
                    gender = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    document_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    document_number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    nationality = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    permanent_address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    visa_or_residence_document = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    visa_valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    entry_date = table.Column<DateOnly>(type: "date", nullable: true),
                    entry_port = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    checked_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_guests", x => x.id);
                    table.ForeignKey(
                        name: "fk_notification_guests_notifications_notification_id",
                        column: x => x.notification_id,
                        principalTable: "notifications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notification_guests_document_number",
                table: "notification_guests",
                column: "document_number",
                filter: "document_number is not null");

            migrationBuilder.CreateIndex(
                name: "ix_notification_guests_notification_id_index",
                table: "notification_guests",
                columns: new[] { "notification_id", "index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_commune_code_arrival_at",
                table: "notifications",
                columns: new[] { "commune_code", "arrival_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_establishment_id_accepted_at",
                table: "notifications",
                columns: new[] { "establishment_id", "accepted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_receipt_number",
                table: "notifications",
                column: "receipt_number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_guests");

            migrationBuilder.DropTable(
                name: "receipt_counters");

            migrationBuilder.DropTable(
                name: "notifications");
        }
    }
}
