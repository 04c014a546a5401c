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
            // their statement with foreign_key_violation (23503), as the keys did, the rows named are locked as the keys
            // locked them (once per distinct row), and a commune or establishment still named by a notification can be
            // neither deleted nor renumbered. EF Core's model keeps the relations (as it does for the guests': see
            // LuuTruDb). The SQL is written here, not shared: a migration is history.
            migrationBuilder.Sql("""
                alter table notifications drop constraint fk_notifications_communes_commune_code;
                alter table notifications drop constraint fk_notifications_establishments_establishment_id;

                create function notifications_references_exist() returns trigger language plpgsql as $$
                declare named text[]; places uuid[]; found_named text[]; found_places uuid[]; missing text;
                begin
                  -- Each commune and place the statement names, once; locked as a foreign key's check locks them (FOR KEY
                  -- SHARE), so a delete at the same moment waits for this transaction and then finds its notifications.
                  named := array(select distinct a.commune_code from added a);
                  places := array(select distinct a.establishment_id from added a where a.establishment_id is not null);
                  found_named := array(select c.code from communes c where c.code = any(named) for key share of c);
                  found_places := array(select e.id from establishments e where e.id = any(places) for key share of e);
                  if cardinality(found_named) < cardinality(named) then
                    select x into missing from unnest(named) x where x <> all(found_named) limit 1;
                    raise foreign_key_violation using message = format('notifications: commune %s does not exist', missing),
                      constraint = 'fk_notifications_communes_commune_code';
                  end if;
                  if cardinality(found_places) < cardinality(places) then
                    select x::text into missing from unnest(places) x where x <> all(found_places) limit 1;
                    raise foreign_key_violation using message = format('notifications: establishment %s does not exist', missing),
                      constraint = 'fk_notifications_establishments_establishment_id';
                  end if;
                  return null;
                end $$;
                create trigger notifications_references_inserted after insert on notifications
                  referencing new table as added for each statement execute function notifications_references_exist();
                -- An update is checked only when it changes a reference (as a foreign key's check is): a checkout or a
                -- correction of anything else locks nothing. Nothing in the code changes them; the row's check is enough.
                create function notifications_references_changed() returns trigger language plpgsql as $$
                begin
                  perform 1 from communes c where c.code = new.commune_code for key share of c;
                  if not found then
                    raise foreign_key_violation using message = format('notifications: commune %s does not exist', new.commune_code),
                      constraint = 'fk_notifications_communes_commune_code';
                  end if;
                  if new.establishment_id is not null then
                    perform 1 from establishments e where e.id = new.establishment_id for key share of e;
                    if not found then
                      raise foreign_key_violation using message = format('notifications: establishment %s does not exist', new.establishment_id),
                        constraint = 'fk_notifications_establishments_establishment_id';
                    end if;
                  end if;
                  return null;
                end $$;
                create trigger notifications_references_updated after update on notifications for each row
                  when (old.commune_code is distinct from new.commune_code or old.establishment_id is distinct from new.establishment_id)
                  execute function notifications_references_changed();

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
                drop function notifications_references_changed();
                drop function notifications_references_kept();
                alter table notifications add constraint fk_notifications_communes_commune_code foreign key (commune_code) references communes (code) on delete restrict;
                alter table notifications add constraint fk_notifications_establishments_establishment_id foreign key (establishment_id) references establishments (id) on delete restrict;
                """);
        }
    }
}
