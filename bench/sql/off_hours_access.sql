-- Records opened at night (22:00-06:00), at weekends or on holidays by a
-- known user with no shift covering the time, per user and local day. A
-- user without a schedule is never on shift.
WITH candidates AS (
    SELECT "user", local,
           (isodow(local) - 1) AS weekday,
           hour(local) * 60 + minute(local) AS minute_of_day
    FROM ev
    WHERE opens_record(action, patient)
      AND "user" IN (SELECT id FROM users)
      AND NOT emergency(purpose)
      AND (hour(local) >= 22 OR hour(local) < 6
           OR isodow(local) IN (6, 7)
           OR CAST(local AS DATE) IN (SELECT day FROM holidays))
)
SELECT 'off_hours_access' AS rule, 'user=' || "user" AS key,
       day_start(local) AS window_start
FROM candidates c
WHERE NOT EXISTS (
    SELECT 1 FROM shifts s
    WHERE s."user" = c."user" AND (
        (s.start_minute < s.end_minute AND s.weekday = c.weekday
         AND c.minute_of_day >= s.start_minute AND c.minute_of_day < s.end_minute)
        OR (s.start_minute >= s.end_minute AND s.weekday = c.weekday
            AND c.minute_of_day >= s.start_minute)
        OR (s.start_minute >= s.end_minute AND s.weekday = (c.weekday + 6) % 7
            AND c.minute_of_day < s.end_minute)))
GROUP BY "user", day_start(local)
