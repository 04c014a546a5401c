using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PartitionCommuneEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // commune_events partitioned by Vietnam month of occurred_at (Storage/Partitions.cs): the rows move into the
            // new table, a partition for every month they cover and for this month and the next two, a DEFAULT for the rest.
            migrationBuilder.Sql("""
                alter table commune_events rename to commune_events_unpartitioned;
                alter table commune_events_unpartitioned rename constraint pk_commune_events to pk_commune_events_unpartitioned;
                alter index ix_commune_events_occurred_at rename to ix_commune_events_unpartitioned_occurred_at;
                create table commune_events (like commune_events_unpartitioned including defaults) partition by range (occurred_at);
                alter table commune_events add constraint pk_commune_events primary key (commune_code, sequence, occurred_at);
                create index ix_commune_events_occurred_at on commune_events (occurred_at);
                create table commune_events_default partition of commune_events default;
                do $$
                declare m date;
                begin
                  for m in
                    select distinct date_trunc('month', occurred_at at time zone 'Asia/Ho_Chi_Minh')::date from commune_events_unpartitioned
                    union
                    select (date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') + make_interval(months => i))::date from generate_series(0, 2) i
                  loop
                    execute format('create table %I partition of commune_events for values from (%L) to (%L)',
                      'commune_events_p' || to_char(m, 'YYYYMM'),
                      m::timestamp at time zone 'Asia/Ho_Chi_Minh', (m + interval '1 month')::timestamp at time zone 'Asia/Ho_Chi_Minh');
                  end loop;
                end $$;
                insert into commune_events select * from commune_events_unpartitioned;
                drop table commune_events_unpartitioned;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table commune_events rename to commune_events_partitioned;
                alter table commune_events_partitioned rename constraint pk_commune_events to pk_commune_events_partitioned;
                alter index ix_commune_events_occurred_at rename to ix_commune_events_partitioned_occurred_at;
                create table commune_events (like commune_events_partitioned including defaults);
                alter table commune_events add constraint pk_commune_events primary key (commune_code, sequence);
                create index ix_commune_events_occurred_at on commune_events (occurred_at);
                insert into commune_events select * from commune_events_partitioned;
                drop table commune_events_partitioned;
                """);
        }
    }
}
