-- Failed sign-ins by one user on one local day, at or above
-- max_failed_sign_ins (5).
SELECT 'repeated_failed_sign_ins' AS rule, 'user=' || "user" AS key,
       day_start(local) AS window_start
FROM ev
WHERE action = 'login' AND outcome = 'failure'
GROUP BY "user", day_start(local)
HAVING count(*) >= 5
