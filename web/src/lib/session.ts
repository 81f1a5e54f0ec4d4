// Sessions live in sessionStorage, one per audience, so a staff console and a depositor portal can be
// open side by side in one browser without taking each other's token.
export type Audience = 'staff' | 'depositor';

export interface StoredSession {
  token: string;
  expiresAt?: string;
  /** What /auth/me or the login answered: name, roles, district… */
  user: Record<string, unknown>;
}

const key = (as: Audience) => `anju.session.${as}`;

export function getSession(as: Audience): StoredSession | null {
  const raw = sessionStorage.getItem(key(as));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StoredSession;
  } catch {
    return null;
  }
}

export function getToken(as: Audience): string | null {
  return getSession(as)?.token ?? null;
}

export function saveSession(as: Audience, session: StoredSession): void {
  sessionStorage.setItem(key(as), JSON.stringify(session));
}

export function clearSession(as: Audience): void {
  sessionStorage.removeItem(key(as));
}
