-- Events from JSON Lines, typed as the canonical fields.
CREATE TABLE events AS
SELECT *
FROM read_json('${events}', format = 'newline_delimited', columns = {
    id: 'VARCHAR', time: 'TIMESTAMPTZ', "user": 'VARCHAR', action: 'VARCHAR',
    outcome: 'VARCHAR', patient: 'VARCHAR', unit: 'VARCHAR', resource: 'VARCHAR',
    ip: 'VARCHAR', drug: 'VARCHAR', amount: 'DOUBLE', purpose: 'VARCHAR',
    system: 'VARCHAR'
});
