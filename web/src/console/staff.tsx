// The logged-in staff member for the console: the stored session (token + /auth/me answer), their roles
// and district, and login / logout. A district viewer's screens are limited to their district by the
// server; the console uses `district` only to preset filters and label the scope.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api } from '../lib/api.ts';
import { clearSession, getSession, saveSession } from '../lib/session.ts';

export type StaffRole = 'teller' | 'reviewer' | 'finance' | 'risk' | 'manager' | 'district_viewer' | 'admin';

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  districtCode: string | null;
}

interface SessionAnswer {
  token: string;
  expiresAt?: string;
  actor: { type: string; id: string; username?: string; roles?: StaffRole[]; districtCode?: string | null };
  displayName: string;
}

interface StaffContextValue {
  user: StaffUser | null;
  /** The district the user is limited to (only role district_viewer), or null for the whole city. */
  district: string | null;
  hasRole(...roles: StaffRole[]): boolean;
  login(username: string, password: string): Promise<StaffUser>;
  logout(): Promise<void>;
  /** Forgets the session locally (after a 401). */
  expire(): void;
}

const Context = createContext<StaffContextValue | null>(null);

function userOf(stored: Record<string, unknown> | undefined): StaffUser | null {
  const actor = stored?.actor as SessionAnswer['actor'] | undefined;
  if (!actor || actor.type !== 'staff') return null;
  return {
    id: actor.id,
    username: actor.username ?? '',
    displayName: typeof stored?.displayName === 'string' ? stored.displayName : (actor.username ?? ''),
    roles: actor.roles ?? [],
    districtCode: actor.districtCode ?? null,
  };
}

export function StaffProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<StaffUser | null>(() => userOf(getSession('staff')?.user));

  const login = useCallback(async (username: string, password: string) => {
    const answer = await api<SessionAnswer>('POST', '/auth/staff/login', { body: { username, password } });
    const stored = { actor: answer.actor, displayName: answer.displayName };
    const next = userOf(stored);
    if (!next) throw new Error('not a staff session');
    saveSession('staff', { token: answer.token, expiresAt: answer.expiresAt, user: stored });
    setUser(next);
    return next;
  }, []);

  const expire = useCallback(() => {
    clearSession('staff');
    setUser(null);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout', { as: 'staff' });
    } catch {
      // the session may already be gone; forget it here either way
    }
    expire();
  }, [expire]);

  const value = useMemo<StaffContextValue>(() => {
    const roles = user?.roles ?? [];
    const onlyViewer = roles.length > 0 && roles.every((r) => r === 'district_viewer');
    return {
      user,
      district: onlyViewer ? (user?.districtCode ?? '') : null,
      hasRole: (...wanted) => roles.some((r) => wanted.includes(r)),
      login,
      logout,
      expire,
    };
  }, [user, login, logout, expire]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useStaff(): StaffContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useStaff outside StaffProvider');
  return value;
}
