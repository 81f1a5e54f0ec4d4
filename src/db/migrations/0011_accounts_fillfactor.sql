-- Room on every accounts page for a new version of each row: every posting rewrites its member's row
-- (balance, accumulator) and the June 30 settlement rewrites every row once. With free space on the page
-- PostgreSQL updates in place (HOT: no new entry in any of the five indexes, since no indexed column
-- changes). Measured on 1M accounts (bench/RESULTS.md, interest-settlement): the settlement's UPDATE took
-- 15.5 s with full pages and 4.0 s with this setting. Applies to pages written from now on.
ALTER TABLE accounts SET (fillfactor = 50);
