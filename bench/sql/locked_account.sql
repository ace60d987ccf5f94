-- Every lock-out, one finding each.
SELECT 'locked_account' AS rule, 'user=' || "user" AS key,
       epoch(time)::BIGINT AS window_start
FROM ev
WHERE action = 'lockout'
