-- A transfer in can be cancelled by the person before the old center answers (platform status 05 转入撤销,
-- rules.md §5.4): the new stage 'cancelled' is finished, so it no longer holds the account's one transfer
-- in progress and a new transfer may be started.
DROP INDEX transfers_one_open_per_account;
CREATE UNIQUE INDEX transfers_one_open_per_account ON transfers (account_id)
  WHERE stage NOT IN ('credited', 'done', 'refused', 'failed', 'cancelled') AND account_id IS NOT NULL;
COMMENT ON COLUMN transfers.stage IS
  'Our progress: letter_pending, letter_sent, sheet_received, funds_received, credited (in); paid_out, done (out); refused, failed (both); cancelled (in, by the person, status 05)';
