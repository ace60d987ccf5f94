-- Every use of emergency access, one finding each.
SELECT 'emergency_access' AS rule, 'user=' || "user" AS key,
       epoch(time)::BIGINT AS window_start
FROM ev
WHERE emergency(purpose)
