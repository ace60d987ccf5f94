-- A known user opening a record with no care relation at the time, from
-- the user or one of the user's units, per user, patient and month.
WITH opened AS (
    SELECT "user", patient, time, local
    FROM ev
    WHERE opens_record(action, patient)
      AND "user" IN (SELECT id FROM users)
      AND NOT emergency(purpose)
), held AS (
    SELECT "user", patient, valid_from, valid_to
    FROM relations WHERE "user" IS NOT NULL
    UNION ALL
    SELECT u."user", r.patient, r.valid_from, r.valid_to
    FROM relations r JOIN user_units u ON u.unit = r.unit
)
SELECT 'no_care_relation' AS rule, 'patient=' || patient || '|user=' || "user" AS key,
       month_start(local) AS window_start
FROM opened o
WHERE NOT EXISTS (
    SELECT 1 FROM held h
    WHERE h."user" = o."user" AND h.patient = o.patient
      AND (h.valid_from IS NULL OR h.valid_from <= o.time)
      AND (h.valid_to IS NULL OR o.time < h.valid_to))
GROUP BY "user", patient, month_start(local)
