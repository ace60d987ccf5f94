-- The context the standard pack looks up, and the derived event table `ev`
-- that every rule reads: events of the period, with local times.
SET TimeZone = 'UTC';

CREATE TABLE users AS
SELECT * FROM read_csv('${context}/users.csv', header = true, all_varchar = true);

CREATE TABLE user_units AS
SELECT id AS "user", trim(u) AS unit
FROM users, unnest(string_split(coalesce(units, ''), ';')) AS t(u)
WHERE trim(u) <> '';

CREATE TABLE user_permissions AS
SELECT id AS "user", trim(p) AS permission
FROM users, unnest(string_split(coalesce(permissions, ''), ';')) AS t(p)
WHERE trim(p) <> '';

-- Work schedules: `mon-fri 07:00-16:00; sat 22:00-07:00`, one row per
-- shift and weekday it starts on (0 = Monday), minutes from midnight.
CREATE TABLE shift_text AS
SELECT id AS "user", trim(s) AS shift
FROM users, unnest(string_split(coalesce(schedule, ''), ';')) AS t(s)
WHERE trim(s) <> '';

CREATE TABLE day_names AS
SELECT * FROM (VALUES ('mon', 0), ('tue', 1), ('wed', 2), ('thu', 3), ('fri', 4),
                      ('sat', 5), ('sun', 6)) AS t(name, n);

CREATE TABLE shifts AS
WITH parts AS (
    SELECT "user",
           split_part(shift, ' ', 1) AS days,
           split_part(split_part(shift, ' ', 2), '-', 1) AS start_text,
           split_part(split_part(shift, ' ', 2), '-', 2) AS end_text
    FROM shift_text
), items AS (
    SELECT "user", start_text, end_text, trim(item) AS item
    FROM parts, unnest(string_split(days, ',')) AS t(item)
), spans AS (
    SELECT i."user", i.start_text, i.end_text, a.n AS first_day,
           coalesce(b.n, a.n) AS last_day
    FROM items i
    JOIN day_names a ON a.name = split_part(i.item, '-', 1)
    LEFT JOIN day_names b ON b.name = nullif(split_part(i.item, '-', 2), '')
)
SELECT DISTINCT "user",
       (first_day + k) % 7 AS weekday,
       CAST(split_part(start_text, ':', 1) AS INTEGER) * 60
           + CAST(split_part(start_text, ':', 2) AS INTEGER) AS start_minute,
       CAST(split_part(end_text, ':', 1) AS INTEGER) * 60
           + CAST(split_part(end_text, ':', 2) AS INTEGER) AS end_minute
FROM spans, range(0, ((last_day - first_day + 7) % 7) + 1) AS r(k);

CREATE TABLE patients AS
SELECT * FROM read_csv('${context}/patients.csv', header = true, all_varchar = true);

CREATE TABLE relations AS
SELECT nullif("user", '') AS "user", nullif(unit, '') AS unit, patient,
       CAST(nullif("from", '') AS TIMESTAMPTZ) AS valid_from,
       CAST(nullif("to", '') AS TIMESTAMPTZ) AS valid_to
FROM read_csv('${context}/relations.csv', header = true, all_varchar = true);

CREATE TABLE drugs AS
SELECT * FROM read_csv('${context}/drugs.csv', header = true, all_varchar = true)
WHERE class IN ('II', 'III', 'IV', 'V');

CREATE TABLE countries AS
SELECT * FROM read_csv('${countries}', header = true, columns = {
    start: 'UBIGINT', "end": 'UBIGINT', country: 'VARCHAR'
});

CREATE TABLE eu_eea AS
SELECT iso_alpha2 AS country FROM read_csv('${eu_eea}', header = true, all_varchar = true);

CREATE TABLE holidays AS
SELECT * FROM read_csv('${holidays}', header = true, columns = {day: 'DATE', name: 'VARCHAR'});

-- Events of the local month, with the wall-clock time in the zone.
CREATE TABLE ev AS
SELECT *, timezone('Europe/Stockholm', time) AS local
FROM events
WHERE time >= timezone('Europe/Stockholm', TIMESTAMP '${period_start}')
  AND time <  timezone('Europe/Stockholm', TIMESTAMP '${period_end}');

-- The start of an event's local day and month, as epoch seconds.
CREATE MACRO day_start(local) AS
    epoch(timezone('Europe/Stockholm', date_trunc('day', local)))::BIGINT;
CREATE MACRO month_start(local) AS
    epoch(timezone('Europe/Stockholm', date_trunc('month', local)))::BIGINT;

-- The standard pack's lists and named conditions.
CREATE MACRO opens_record(action, patient) AS
    action IN ('read', 'print', 'export', 'search', 'write') AND patient IS NOT NULL;
CREATE MACRO emergency(purpose) AS
    coalesce(purpose IN ('emergency', 'BTG', 'break-glass', 'nodatkomst'), false);
CREATE MACRO ip_number(ip) AS
    CAST(split_part(ip, '.', 1) AS UBIGINT) * 16777216
    + CAST(split_part(ip, '.', 2) AS UBIGINT) * 65536
    + CAST(split_part(ip, '.', 3) AS UBIGINT) * 256
    + CAST(split_part(ip, '.', 4) AS UBIGINT);
