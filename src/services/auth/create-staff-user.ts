// Creating a staff user (admin only): user name, display name, initial password, roles and, for a
// district viewer, the district (rules.md §13). The user row and its audit row commit together.
import { recordAudit } from '../../audit/audit-trail.ts';
import { assertPasswordPolicy, hashPassword } from '../../auth/passwords.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel, hasRole, STAFF_ROLES, type Actor, type StaffRole } from '../../domain/roles.ts';

const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;

export interface CreateStaffUserOptions {
  db: DbOrTx;
  actor: Actor;
  username: string;
  displayName: string;
  password: string;
  roles: readonly string[];
  districtCode?: string | null;
  now: Date;
  businessDate?: string | null;
}

export interface StaffUserView {
  id: bigint;
  username: string;
  displayName: string;
  roles: StaffRole[];
  districtCode: string | null;
  active: boolean;
}

function inTransaction<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

export async function createStaffUser(options: CreateStaffUserOptions): Promise<StaffUserView> {
  const { actor, now } = options;
  if (!(actor.type === 'system' || hasRole(actor, 'admin'))) throw new AppError('FORBIDDEN');

  const username = options.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) throw new AppError('INVALID_USERNAME', { field: 'username' });
  const displayName = options.displayName.trim();
  if (displayName.length === 0 || displayName.length > 100) {
    throw new AppError('VALIDATION_FAILED', { field: 'displayName' });
  }
  assertPasswordPolicy(options.password);
  const roles = [...new Set(options.roles)];
  if (
    roles.length === 0 ||
    !roles.every((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r))
  ) {
    throw new AppError('INVALID_ROLES', { field: 'roles' });
  }
  const districtCode = options.districtCode?.trim() || null;
  if (roles.includes('district_viewer') && districtCode === null) {
    throw new AppError('DISTRICT_REQUIRED', { field: 'districtCode' });
  }
  const passwordHash = await hashPassword(options.password);

  return inTransaction(options.db, async (tx) => {
    if (districtCode !== null) {
      const district = await tx
        .selectFrom('districts')
        .select('code')
        .where('code', '=', districtCode)
        .executeTakeFirst();
      if (!district) throw new AppError('UNKNOWN_DISTRICT', { field: 'districtCode' });
    }
    const taken = await tx
      .selectFrom('staff_users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (taken) throw new AppError('USERNAME_TAKEN', { field: 'username' });
    let row: { id: bigint; active: boolean };
    try {
      row = await tx
        .insertInto('staff_users')
        .values({
          username,
          display_name: displayName,
          password_hash: passwordHash,
          roles,
          district_code: districtCode,
          created_at: now,
        })
        .returning(['id', 'active'])
        .executeTakeFirstOrThrow();
    } catch (error) {
      // Two admins creating the same name at once: the unique index decides.
      if (isUniqueViolation(error)) throw new AppError('USERNAME_TAKEN', { field: 'username' });
      throw error;
    }
    await recordAudit(
      tx,
      {
        actor: actorLabel(actor),
        action: 'staff_user.create',
        subjectType: 'staff_user',
        subjectId: row.id,
        businessDate: options.businessDate ?? null,
        summary: { username, displayName, roles, districtCode },
      },
      now,
    );
    return { id: row.id, username, displayName, roles, districtCode, active: row.active };
  });
}
