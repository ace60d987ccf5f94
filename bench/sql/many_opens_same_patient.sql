-- One user opening one patient's record more than max_opens_per_patient
-- (50) times in a month.
SELECT 'many_opens_same_patient' AS rule,
       'patient=' || patient || '|user=' || "user" AS key,
       month_start(local) AS window_start
FROM ev
WHERE action IN ('read', 'print') AND patient IS NOT NULL
GROUP BY "user", patient, month_start(local)
HAVING count(*) > 50
