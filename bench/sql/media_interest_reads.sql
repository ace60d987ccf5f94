-- Every user opening the record of a person of media interest, per user,
-- patient and month.
SELECT 'media_interest_reads' AS rule,
       'patient=' || patient || '|user=' || "user" AS key,
       month_start(local) AS window_start
FROM ev
WHERE opens_record(action, patient)
  AND patient IN (SELECT id FROM patients WHERE media_interest = 'yes')
GROUP BY "user", patient, month_start(local)
