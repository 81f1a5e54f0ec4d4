// Who is acting: staff roles (rules: center staff), depositors on the portal, partner systems and the
// system itself (business-day close, migrations).

export const STAFF_ROLES = [
  'teller',
  'reviewer',
  'finance',
  'risk',
  'manager',
  'district_viewer',
  'admin',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type Actor =
  | { type: 'staff'; id: bigint; username: string; roles: StaffRole[]; districtCode: string | null }
  | { type: 'depositor'; id: bigint; depositorId: bigint }
  | { type: 'system'; id: string };

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system' };

/** The actor as written in audit rows and `created_by` columns: "staff:alice", "depositor:42", "system:close". */
export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'staff':
      return `staff:${actor.username}`;
    case 'depositor':
      return `depositor:${actor.depositorId}`;
    case 'system':
      return `system:${actor.id}`;
  }
}

export function hasRole(actor: Actor, ...roles: StaffRole[]): boolean {
  return actor.type === 'staff' && actor.roles.some((r) => roles.includes(r));
}

/**
 * The district a staff member's views are limited to, or null for the whole city: a user whose only
 * role is district_viewer sees their own district (rules.md §13); any other role grants the city.
 */
export function districtScopeOf(actor: Actor): string | null {
  if (actor.type !== 'staff') return null;
  if (actor.roles.some((r) => r !== 'district_viewer')) return null;
  return actor.districtCode ?? '';
}
