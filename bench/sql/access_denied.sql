-- Refused actions, per user and local day.
SELECT 'access_denied' AS rule, 'user=' || "user" AS key,
       day_start(local) AS window_start
FROM ev
WHERE outcome = 'denied'
GROUP BY "user", day_start(local)
