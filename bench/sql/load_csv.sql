-- Events from CSV with a header of the canonical field names.
CREATE TABLE events AS
SELECT *
FROM read_csv('${events}', header = true, columns = {
    id: 'VARCHAR', time: 'TIMESTAMPTZ', "user": 'VARCHAR', action: 'VARCHAR',
    outcome: 'VARCHAR', patient: 'VARCHAR', unit: 'VARCHAR', resource: 'VARCHAR',
    ip: 'VARCHAR', drug: 'VARCHAR', amount: 'DOUBLE', purpose: 'VARCHAR',
    system: 'VARCHAR'
});
