-- Records opened at a unit that is not one of the known user's units, per
-- user, unit and month.
SELECT 'other_unit_access' AS rule, 'unit=' || unit || '|user=' || "user" AS key,
       month_start(local) AS window_start
FROM ev
WHERE opens_record(action, patient)
  AND unit IS NOT NULL
  AND "user" IN (SELECT id FROM users)
  AND NOT EXISTS (
      SELECT 1 FROM user_units u WHERE u."user" = ev."user" AND u.unit = ev.unit)
  AND NOT emergency(purpose)
GROUP BY "user", unit, month_start(local)
