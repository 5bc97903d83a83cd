-- Nothing on PostgreSQL (see the up script).
SELECT 1;
