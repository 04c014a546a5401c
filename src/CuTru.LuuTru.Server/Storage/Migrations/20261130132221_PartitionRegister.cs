using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PartitionRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The register's three tables partitioned by Vietnam month of the notification's received_at (Storage/Partitions.cs):
            // guests and history carry their notification's received_at, so a month of all three is dropped together. No
            // foreign key from guests or history to notifications: into a partitioned table it doubled the drain's cost of a
            // row (its check per guest row; DEVELOPERS.md); the code writes and deletes them with their notification. The
            // rows move into the new tables in this one transaction (time in proportion to the register: see
            // docs/operations.md, Upgrading). Names, bounds and the loop are written here, not called from Partitions.cs:
            // a migration is history and must not change with the code.
            migrationBuilder.Sql("""
                alter table notification_changes drop constraint fk_notification_changes_notifications_notification_id;
                alter table notification_guests drop constraint fk_notification_guests_notifications_notification_id;
                do $$
                declare t text; i record;
                begin
                  foreach t in array array['notifications', 'notification_guests', 'notification_changes'] loop
                    execute format('alter table %I rename to %I', t, t || '_unpartitioned');
                    -- index names are the schema's: the old ones go (the old tables are only read from now on)
                    execute format('alter table %I drop constraint %I', t || '_unpartitioned', 'pk_' || t);
                    for i in select indexname from pg_indexes where schemaname = current_schema() and tablename = t || '_unpartitioned' loop
                      execute format('drop index %I', i.indexname);
                    end loop;
                  end loop;
                end $$;

                create table notifications (like notifications_unpartitioned including defaults) partition by range (received_at);
                create table notification_guests (like notification_guests_unpartitioned including defaults including identity,
                  received_at timestamp with time zone not null) partition by range (received_at);
                create table notification_changes (like notification_changes_unpartitioned including defaults including identity,
                  received_at timestamp with time zone not null) partition by range (received_at);
                do $$
                declare t text; m date;
                begin
                  foreach t in array array['notifications', 'notification_guests', 'notification_changes'] loop
                    execute format('create table %I partition of %I default', t || '_default', t);
                    for m in
                      select distinct date_trunc('month', received_at at time zone 'Asia/Ho_Chi_Minh')::date from notifications_unpartitioned
                      union
                      select (date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') + make_interval(months => i))::date from generate_series(0, 2) i
                    loop
                      execute format('create table %I partition of %I for values from (%L) to (%L)', t || '_p' || to_char(m, 'YYYYMM'), t,
                        m::timestamp at time zone 'Asia/Ho_Chi_Minh', (m + interval '1 month')::timestamp at time zone 'Asia/Ho_Chi_Minh');
                    end loop;
                  end loop;
                end $$;

                insert into notifications select * from notifications_unpartitioned;
                insert into notification_guests overriding system value
                  select g.*, n.received_at from notification_guests_unpartitioned g join notifications_unpartitioned n on n.id = g.notification_id;
                insert into notification_changes overriding system value
                  select c.*, n.received_at from notification_changes_unpartitioned c join notifications_unpartitioned n on n.id = c.notification_id;
                select setval(pg_get_serial_sequence('notification_guests', 'id'), coalesce(max(id), 0) + 1, false) from notification_guests;
                select setval(pg_get_serial_sequence('notification_changes', 'id'), coalesce(max(id), 0) + 1, false) from notification_changes;
                drop table notification_guests_unpartitioned, notification_changes_unpartitioned, notifications_unpartitioned;

                alter table notifications add constraint pk_notifications primary key (id, received_at);
                alter table notifications add constraint fk_notifications_communes_commune_code foreign key (commune_code) references communes (code) on delete restrict;
                alter table notifications add constraint fk_notifications_establishments_establishment_id foreign key (establishment_id) references establishments (id) on delete restrict;
                create unique index ix_notifications_receipt_number_received_at on notifications (receipt_number, received_at);
                create index ix_notifications_commune_code_arrival_at on notifications (commune_code, arrival_at);
                create index ix_notifications_commune_code_received_at on notifications (commune_code, received_at);
                create index ix_notifications_establishment_id_accepted_at on notifications (establishment_id, accepted_at);
                create index ix_notifications_received_at on notifications (received_at);
                create index ix_notifications_staying on notifications (commune_code, departure_at) where status = 'Recorded';

                alter table notification_guests add constraint pk_notification_guests primary key (id, received_at);
                create unique index ix_notification_guests_notification_id_received_at_index on notification_guests (notification_id, received_at, index);
                create index ix_notification_guests_document_number on notification_guests (document_number) where document_number is not null;
                create index ix_notification_guests_name_key on notification_guests using gin (name_key gin_trgm_ops);

                alter table notification_changes add constraint pk_notification_changes primary key (id, received_at);
                create index ix_notification_changes_at on notification_changes (at);
                create index ix_notification_changes_notification_id_at on notification_changes (notification_id, at);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one table each, keyed by id alone.
            migrationBuilder.Sql("""
                do $$
                declare t text; i record;
                begin
                  foreach t in array array['notification_changes', 'notification_guests', 'notifications'] loop
                    execute format('alter table %I rename to %I', t, t || '_partitioned');
                    for i in select conname from pg_constraint where conrelid = (t || '_partitioned')::regclass and contype in ('p', 'f') and conparentid = 0 loop
                      execute format('alter table %I drop constraint %I', t || '_partitioned', i.conname);
                    end loop;
                    for i in select indexname from pg_indexes where schemaname = current_schema() and tablename = t || '_partitioned' loop
                      execute format('drop index %I', i.indexname);
                    end loop;
                  end loop;
                end $$;
                create table notifications (like notifications_partitioned including defaults);
                create table notification_guests (like notification_guests_partitioned including defaults including identity);
                create table notification_changes (like notification_changes_partitioned including defaults including identity);
                alter table notification_guests drop column received_at;
                alter table notification_changes drop column received_at;
                insert into notifications select * from notifications_partitioned;
                do $$
                declare t text;
                begin
                  foreach t in array array['notification_guests', 'notification_changes'] loop
                    execute format('insert into %I overriding system value select %s from %I', t,
                      (select string_agg(quote_ident(column_name), ', ' order by ordinal_position) from information_schema.columns
                       where table_schema = current_schema() and table_name = t), t || '_partitioned');
                  end loop;
                end $$;
                select setval(pg_get_serial_sequence('notification_guests', 'id'), coalesce(max(id), 0) + 1, false) from notification_guests;
                select setval(pg_get_serial_sequence('notification_changes', 'id'), coalesce(max(id), 0) + 1, false) from notification_changes;
                drop table notification_guests_partitioned, notification_changes_partitioned, notifications_partitioned;
                alter table notifications add constraint pk_notifications primary key (id);
                alter table notifications add constraint fk_notifications_communes_commune_code foreign key (commune_code) references communes (code) on delete restrict;
                alter table notifications add constraint fk_notifications_establishments_establishment_id foreign key (establishment_id) references establishments (id) on delete restrict;
                create unique index ix_notifications_receipt_number on notifications (receipt_number);
                create index ix_notifications_commune_code_arrival_at on notifications (commune_code, arrival_at);
                create index ix_notifications_commune_code_received_at on notifications (commune_code, received_at);
                create index ix_notifications_establishment_id_accepted_at on notifications (establishment_id, accepted_at);
                create index ix_notifications_received_at on notifications (received_at);
                create index ix_notifications_staying on notifications (commune_code, departure_at) where status = 'Recorded';
                alter table notification_guests add constraint pk_notification_guests primary key (id);
                alter table notification_guests add constraint fk_notification_guests_notifications_notification_id
                  foreign key (notification_id) references notifications (id) on delete cascade;
                create unique index ix_notification_guests_notification_id_index on notification_guests (notification_id, index);
                create index ix_notification_guests_document_number on notification_guests (document_number) where document_number is not null;
                create index ix_notification_guests_name_key on notification_guests using gin (name_key gin_trgm_ops);
                alter table notification_changes add constraint pk_notification_changes primary key (id);
                alter table notification_changes add constraint fk_notification_changes_notifications_notification_id
                  foreign key (notification_id) references notifications (id) on delete cascade;
                create index ix_notification_changes_at on notification_changes (at);
                create index ix_notification_changes_notification_id_at on notification_changes (notification_id, at);
                """);
        }
    }
}
