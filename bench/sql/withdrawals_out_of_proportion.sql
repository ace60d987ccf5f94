-- Withdrawals of a classed drug out of proportion to administration
-- signings, per user, drug and month: min_withdrawals (3) and
-- max_withdrawal_ratio (1.5).
SELECT 'withdrawals_out_of_proportion' AS rule,
       'drug=' || drug || '|user=' || "user" AS key,
       month_start(local) AS window_start
FROM ev
WHERE drug IN (SELECT id FROM drugs) AND action IN ('withdrawal', 'administration')
GROUP BY "user", drug, month_start(local)
HAVING count(*) FILTER (action = 'withdrawal') >= 3
   AND (count(*) FILTER (action = 'administration') = 0
        OR count(*) FILTER (action = 'withdrawal')
           / count(*) FILTER (action = 'administration') > 1.5)
