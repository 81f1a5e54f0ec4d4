-- Authentication extras: why a login attempt failed, and an index for the per-client-IP rate limit.
-- `reason` is NULL for a success; 'rate_limited' rows record refusals during a lock and are not counted
-- as failures (so a lock lasts exactly its period; src/auth/rate-limit.ts).

ALTER TABLE login_attempts ADD COLUMN reason text
  CHECK (reason IN ('bad_credentials', 'inactive', 'otp_incorrect', 'rate_limited'));
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_reason_matches CHECK (NOT succeeded OR reason IS NULL);
CREATE INDEX login_attempts_ip_at ON login_attempts (client_ip, at DESC);

-- Sessions are looked up by token hash (unique already); listing or revoking a principal's sessions
-- (password reset) goes by principal.
CREATE INDEX sessions_principal ON sessions (principal_type, principal_id) WHERE revoked_at IS NULL;

-- The open challenge of a depositor is superseded when a new one is issued.
CREATE INDEX otp_challenges_depositor_open ON otp_challenges (depositor_id) WHERE consumed_at IS NULL;
