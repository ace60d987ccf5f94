-- One user opening records of protected identities more than
-- max_protected_opens (5) times in a month.
SELECT 'protected_identity_opens' AS rule, 'user=' || "user" AS key,
       month_start(local) AS window_start
FROM ev
WHERE opens_record(action, patient)
  AND patient IN (SELECT id FROM patients WHERE protected = 'yes')
GROUP BY "user", month_start(local)
HAVING count(*) > 5
