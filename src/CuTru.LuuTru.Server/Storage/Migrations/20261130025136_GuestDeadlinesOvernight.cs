using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class GuestDeadlinesOvernight : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "deadline_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AlterColumn<string>(
                name: "gender",
                table: "notification_guests",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(8)",
                oldMaxLength: 8);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deadline_at",
                table: "notification_guests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "document_kind",
                table: "notification_guests",
                type: "character varying(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "late",
                table: "notification_guests",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "visa_exempt",
                table: "notification_guests",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Each guest's own deadline for the notifications already in the register, judged as at reception: citizens
            // 23:00 of the arrival day (08:00 next day from 23:00), foreigners 12 hours (24 in a commune marked remote).
            migrationBuilder.Sql("""
                update notification_guests g
                set deadline_at = x.due, late = x.received_at > x.due
                from (select g2.id, n.received_at, case
                        when g2.nationality <> 'VNM' then n.arrival_at + case when coalesce(c.remote, false) then interval '24 hours' else interval '12 hours' end
                        when (n.arrival_at at time zone 'Asia/Ho_Chi_Minh')::time >= time '23:00'
                            then (((n.arrival_at at time zone 'Asia/Ho_Chi_Minh')::date + 1) + time '08:00') at time zone 'Asia/Ho_Chi_Minh'
                        else ((n.arrival_at at time zone 'Asia/Ho_Chi_Minh')::date + time '23:00') at time zone 'Asia/Ho_Chi_Minh'
                        end as due
                    from notification_guests g2
                    join notifications n on n.id = g2.notification_id
                    left join communes c on c.code = n.commune_code) x
                where x.id = g.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "deadline_at",
                table: "notification_guests");

            migrationBuilder.DropColumn(
                name: "document_kind",
                table: "notification_guests");

            migrationBuilder.DropColumn(
                name: "late",
                table: "notification_guests");

            migrationBuilder.DropColumn(
                name: "visa_exempt",
                table: "notification_guests");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "deadline_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)),
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "gender",
                table: "notification_guests",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(8)",
                oldMaxLength: 8,
                oldNullable: true);
        }
    }
}
