-- Records opened from an address whose country is outside the EU/EEA, per
-- user, address and month. Each distinct address is looked up once in the
-- country ranges (an as-of join on the range start).
WITH opened AS (
    SELECT "user", ip, local
    FROM ev
    WHERE opens_record(action, patient) AND ip IS NOT NULL
), addresses AS (
    SELECT DISTINCT ip, ip_number(ip) AS n FROM opened
), located AS (
    SELECT a.ip, c.country
    FROM addresses a
    ASOF JOIN countries c ON a.n >= c.start
    WHERE a.n <= c."end"
)
SELECT 'third_country_access' AS rule, 'ip=' || o.ip || '|user=' || o."user" AS key,
       month_start(o.local) AS window_start
FROM opened o
JOIN located l ON l.ip = o.ip
WHERE l.country NOT IN (SELECT country FROM eu_eea)
GROUP BY o."user", o.ip, month_start(o.local)
