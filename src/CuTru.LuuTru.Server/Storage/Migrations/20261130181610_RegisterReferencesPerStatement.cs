using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class RegisterReferencesPerStatement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A notification's commune and establishment are checked once per statement, not once per row: PostgreSQL's
            // foreign keys ran a lookup of each per row the drain's COPY wrote, 7-9 µs of its 27 per notification
            // (scripts/bench-copy.sh part-nofk against part-nofk-noref and part-nofk-stmtref; bench/README.md). The same
            // guarantee, kept by the database for every writer: rows whose commune or establishment does not exist fail
            // their statement with foreign_key_violation (23503), as the keys did, and a commune or establishment still
            // named by a notification can be neither deleted nor renumbered. EF Core's model keeps the relations (as it
            // does for the guests': see LuuTruDb). The SQL is written here, not shared: a migration is history.
            migrationBuilder.Sql("""
                alter table notifications drop constraint fk_notifications_communes_commune_code;
                alter table notifications drop constraint fk_notifications_establishments_establishment_id;

                create function notifications_references_exist() returns trigger language plpgsql as $$
                declare missing text;
                begin
                  select a.commune_code into missing from added a
                  where not exists (select 1 from communes c where c.code = a.commune_code) limit 1;
                  if found then
                    raise foreign_key_violation using message = format('notifications: commune %s does not exist', missing),
                      constraint = 'fk_notifications_communes_commune_code';
                  end if;
                  select a.establishment_id::text into missing from added a
                  where a.establishment_id is not null and not exists (select 1 from establishments e where e.id = a.establishment_id) limit 1;
                  if found then
                    raise foreign_key_violation using message = format('notifications: establishment %s does not exist', missing),
                      constraint = 'fk_notifications_establishments_establishment_id';
                  end if;
                  return null;
                end $$;
                create trigger notifications_references_inserted after insert on notifications
                  referencing new table as added for each statement execute function notifications_references_exist();
                create trigger notifications_references_updated after update on notifications
                  referencing new table as added for each statement execute function notifications_references_exist();

                create function notifications_references_kept() returns trigger language plpgsql as $$
                declare gone text;
                begin
                  if TG_TABLE_NAME = 'communes' then
                    select r.code into gone from removed r
                    where not exists (select 1 from communes c where c.code = r.code)
                      and exists (select 1 from notifications n where n.commune_code = r.code) limit 1;
                  else
                    select r.id::text into gone from removed r
                    where not exists (select 1 from establishments e where e.id = r.id)
                      and exists (select 1 from notifications n where n.establishment_id = r.id) limit 1;
                  end if;
                  if found then
                    raise foreign_key_violation using message = format('%s %s is still named by notifications', TG_TABLE_NAME, gone);
                  end if;
                  return null;
                end $$;
                create trigger notifications_references_deleted after delete on communes
                  referencing old table as removed for each statement execute function notifications_references_kept();
                create trigger notifications_references_renumbered after update on communes
                  referencing old table as removed for each statement execute function notifications_references_kept();
                create trigger notifications_references_deleted after delete on establishments
                  referencing old table as removed for each statement execute function notifications_references_kept();
                create trigger notifications_references_renumbered after update on establishments
                  referencing old table as removed for each statement execute function notifications_references_kept();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger notifications_references_inserted on notifications;
                drop trigger notifications_references_updated on notifications;
                drop trigger notifications_references_deleted on communes;
                drop trigger notifications_references_renumbered on communes;
                drop trigger notifications_references_deleted on establishments;
                drop trigger notifications_references_renumbered on establishments;
                drop function notifications_references_exist();
                drop function notifications_references_kept();
                alter table notifications add constraint fk_notifications_communes_commune_code foreign key (commune_code) references communes (code) on delete restrict;
                alter table notifications add constraint fk_notifications_establishments_establishment_id foreign key (establishment_id) references establishments (id) on delete restrict;
                """);
        }
    }
}
