-- Report benchmark data: :n notifications (about 1.5 guests each) arriving on :'day' (Vietnam time, between 08:00 and
-- 22:00) and received 5 to 55 minutes later, so all in that day's 23:00 window, spread evenly over every commune, 80 % from two approved guesthouses per commune, the rest households;
-- some late, some foreigners, some children, some flagged. Loaded with psql -v n=1000000 -v day=2026-01-15.
\set ON_ERROR_STOP on
set synchronous_commit = off;

create temp table bench_communes as
select (row_number() over (order by code) - 1)::int as k, code, province_code from communes;

insert into establishments (id, name, search_key, kind, commune_code, province_code, address, manager_name, phone, status, created_at, approved_at)
select md5('bench-est-' || c.code || '-' || i)::uuid, 'Nhà nghỉ Đo Tải ' || c.code || '-' || i, 'nha nghi do tai ' || c.code || '-' || i,
       'Guesthouse', c.code, c.province_code, i || ' Đường Đo Tải', 'Người Quản Lý', '0912345678', 'Approved', now(), now()
from bench_communes c cross join generate_series(1, 2) i
on conflict (id) do nothing;

-- The day's month partitions of the register, as the scheduler makes them ahead in a running system (Storage/Partitions.cs).
select format('create table if not exists %I partition of %I for values from (%L) to (%L)', t || '_p' || to_char(m, 'YYYYMM'), t,
              m::timestamp at time zone 'Asia/Ho_Chi_Minh', (m + interval '1 month')::timestamp at time zone 'Asia/Ho_Chi_Minh')
from unnest(array['notifications', 'notification_guests', 'notification_changes']) t, (select date_trunc('month', :'day'::date)::date m) x
\gexec

-- The guest-name trigram index is built once after the load instead of row by row.
drop index if exists ix_notification_guests_name_key;

insert into notifications (id, receipt_number, channel, establishment_id, submitted_by, commune_code, province_code, address, arrival_at,
    departure_at, reason, status, accepted_at, received_at, recorded_at, deadline_at, late, law_version, flags, notified_by_guest, host_name, host_phone)
select id, c.code || '-' || to_char(:'day'::date, 'YYMMDD') || '-' || lpad((s / cnt + 1)::text, 4, '0'),
       case when s % 5 = 0 then 'Household' else 'Api' end,
       case when s % 5 = 0 then null else md5('bench-est-' || c.code || '-' || (1 + s % 2))::uuid end,
       case when s % 5 = 0 then null else 'bench' end,
       c.code, c.province_code, (s % 97 + 1) || ' Đường Đo Tải', arrival, arrival + interval '2 days',
       (array['Tourism','Work','Study','Medical','VisitingFamily','Business','Transit'])[1 + s % 7],
       'Recorded', arrival + accepted_after, arrival + accepted_after, arrival + accepted_after + interval '1 second',
       (:'day'::date + time '23:00') at time zone 'Asia/Ho_Chi_Minh', s % 50 = 0, 'residence-2026',
       case when s % 40 = 0 then '[{"code": "stay-30-days-or-more", "deadline": null, "guestIndex": null, "minutesLate": null}]'::jsonb
            when s % 50 = 0 then '[{"code": "late", "deadline": null, "guestIndex": null, "minutesLate": 30}]'::jsonb
            else '[]'::jsonb end,
       false,
       case when s % 5 = 0 then 'Chủ Hộ Đo Tải' end, case when s % 5 = 0 then '0987654321' end
from (select s, (select count(*) from bench_communes)::int as cnt,
             md5('bench-n-' || :'day' || '-' || s)::uuid as id,
             (:'day'::date + time '08:00' + make_interval(secs => (s::bigint * 7919) % 50400)) at time zone 'Asia/Ho_Chi_Minh' as arrival,
             make_interval(mins => 5 + s % 50) as accepted_after
      from generate_series(0, :n - 1) s) x
join bench_communes c on c.k = x.s % x.cnt;

-- Guests carry their notification's received_at (the month partition key): taken from the row just made.
insert into notification_guests (notification_id, index, full_name, name_key, date_of_birth, date_of_birth_year_only, gender, document_type,
    document_number, nationality, received_at)
select n.id, g,
       (array['Nguyễn','Trần','Lê','Phạm','Hoàng','Vũ','Đặng','Bùi'])[1 + (s + g) % 8] || ' '
         || (array['Văn','Thị','Minh','Đức','Ngọc'])[1 + (s + 3 * g) % 5] || ' '
         || (array['An','Bình','Cường','Dũng','Hà','Lan','Mai','Phúc','Quân','Thảo'])[1 + (s / 7 + g) % 10],
       'bench guest',
       case when g = 2 then date '2018-05-01' else date '1960-01-01' + (s * 37 + g) % 15000 end, false,
       case when (s + g) % 2 = 0 then 'Male' else 'Female' end,
       case when g = 2 then 'None' when s % 20 = 0 then 'Passport' else 'PersonalId' end,
       case when g = 2 then null when s % 20 = 0 then 'B' || lpad((s % 9999999)::text, 7, '0')
            else '0' || lpad((s % 96)::text, 2, '0') || '0' || lpad(((s * 31 + g) % 100000000)::text, 8, '0') end,
       case when s % 20 = 0 then (array['KOR','CHN','USA','JPN','FRA'])[1 + s / 20 % 5] else 'VNM' end,
       n.received_at
from generate_series(0, :n - 1) s
join notifications n on n.id = md5('bench-n-' || :'day' || '-' || s)::uuid
cross join lateral generate_series(0, case when s % 10 = 0 then 2 when s % 2 = 0 then 1 else 0 end) g;

create index ix_notification_guests_name_key on notification_guests using gin (name_key gin_trgm_ops);
analyze notifications;
analyze notification_guests;
