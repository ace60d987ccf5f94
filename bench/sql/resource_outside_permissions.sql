-- Successful use of a resource outside a known user's permissions, per
-- user, resource and month; emergency access is left to its own rule.
SELECT 'resource_outside_permissions' AS rule,
       'resource=' || resource || '|user=' || "user" AS key,
       month_start(local) AS window_start
FROM ev
WHERE "user" IN (SELECT id FROM users)
  AND resource IS NOT NULL
  AND NOT coalesce(outcome = 'denied', false)
  AND NOT EXISTS (
      SELECT 1 FROM user_permissions p
      WHERE p."user" = ev."user" AND p.permission = ev.resource)
  AND NOT emergency(purpose)
GROUP BY "user", resource, month_start(local)
