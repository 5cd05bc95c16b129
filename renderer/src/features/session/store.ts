import { create } from 'zustand';
import type { AppInfo } from '../../../../shared/domain/sync-status';
import type { ApiInput, Session } from '../../../../shared/api/contract';
import type { Permission } from '../../../../shared/domain/permissions';
import type { SessionUser } from '../../../../shared/domain/staff';
import { AppError } from '../../../../shared/api/errors';
import { api, onSignedOut, toAppError } from '../../api';

export type EnrolDetails = ApiInput<'device.enrol'>;

interface SessionState {
  /** Whether this computer is enrolled with a school (false: show the enrolment screen). Null until known. */
  enrolled: boolean | null;
  enrolling: boolean;
  enrolError: AppError | null;
  /** The school this computer was just enrolled with, for a word on the sign-in screen. */
  enrolledWith: string | null;
  /** School, currency, device. Public: known before anyone signs in. */
  info: AppInfo | null;
  /** Who is signed in (user null: show the sign-in screen). Null until first loaded. */
  session: Session | null;
  /** The app could not open at all (app.info or auth.session failed). */
  error: AppError | null;
  loading: boolean;
  signingIn: boolean;
  signInError: AppError | null;
  /** Why the person was sent back to the sign-in screen without signing out themselves. */
  signedOutReason: string | null;
  load(): Promise<void>;
  /** Enrols this computer with a school, then opens the app at the sign-in screen. */
  enrol(details: EnrolDetails): Promise<boolean>;
  /** Re-reads the session quietly, e.g. after a sync changed this person's role. */
  refreshSession(): Promise<void>;
  signIn(username: string, password: string): Promise<boolean>;
  signOut(): Promise<void>;
}

const SIGNED_OUT: Session = { user: null, offline: false };

export const useSession = create<SessionState>()((set, get) => ({
  enrolled: null,
  enrolling: false,
  enrolError: null,
  enrolledWith: null,
  info: null,
  session: null,
  error: null,
  loading: false,
  signingIn: false,
  signInError: null,
  signedOutReason: null,
  async load() {
    if (get().loading) return;
    set({ loading: true, error: null });
    try {
      // First whether this computer belongs to a school at all: until it does, nothing else answers.
      const { enrolled } = await api.invoke('device.state', {});
      if (!enrolled) {
        set({ enrolled: false, loading: false });
        return;
      }
      const [info, session] = await Promise.all([api.invoke('app.info', {}), api.invoke('auth.session', {})]);
      set({ enrolled: true, info, session, loading: false });
    } catch (err) {
      set({ error: toAppError(err), loading: false });
    }
  },
  async enrol(details) {
    if (get().enrolling) return false;
    set({ enrolling: true, enrolError: null });
    let enrolledInfo: AppInfo;
    try {
      enrolledInfo = await api.invoke('device.enrol', details);
    } catch (err) {
      set({ enrolling: false, enrolError: toAppError(err) });
      return false;
    }
    // Enrolled: from here on the app works as on any computer of the school.
    set({ enrolled: true, enrolledWith: enrolledInfo.schoolName, info: enrolledInfo, session: null });
    try {
      const [info, session] = await Promise.all([api.invoke('app.info', {}), api.invoke('auth.session', {})]);
      set({ info, session, enrolledWith: info.schoolName, enrolling: false });
    } catch (err) {
      // Enrolment held; only opening failed. The "could not open" notice offers to try again.
      set({ error: toAppError(err), enrolling: false });
    }
    return true;
  },
  async refreshSession() {
    try {
      const session = await api.invoke('auth.session', {});
      const before = get().session;
      if (before?.user && !session.user) {
        set({ session, signedOutReason: 'You were signed out. Sign in again to carry on.' });
      } else if (!sameSession(before, session)) {
        set({ session });
      }
    } catch {
      // Keep what we have; the status bar reports a lost background process.
    }
  },
  async signIn(username, password) {
    if (get().signingIn) return false;
    set({ signingIn: true, signInError: null });
    try {
      const session = await api.invoke('auth.login', { username: username.trim(), password });
      if (!session.user) {
        set({
          signingIn: false,
          signInError: new AppError('unauthenticated', 'Sign-in did not complete. Check your username and password and try again.'),
        });
        return false;
      }
      set({ session, signingIn: false, signedOutReason: null, enrolledWith: null });
      return true;
    } catch (err) {
      set({ signingIn: false, signInError: toAppError(err) });
      return false;
    }
  },
  async signOut() {
    try {
      const session = await api.invoke('auth.logout', {});
      set({ session: { ...session, user: null }, signedOutReason: null, signInError: null });
    } catch {
      // Leave the screen anyway: whoever comes next must not find this person signed in here.
      set({ session: SIGNED_OUT, signedOutReason: null, signInError: null });
    }
  },
}));

// Any call refused with 'unauthenticated' (say the account was disabled at the last sync)
// returns the app to the sign-in screen, saying why.
onSignedOut((error) => {
  const { session } = useSession.getState();
  if (!session?.user) return;
  useSession.setState({
    session: SIGNED_OUT,
    signedOutReason: `You were signed out: ${error.message}`,
  });
  // Make sure core agrees, so the next person starts from a clean sign-in.
  api.invoke('auth.logout', {}).catch(() => undefined);
});

function sameSession(a: Session | null, b: Session): boolean {
  if (!a || a.offline !== b.offline) return false;
  const x = a.user;
  const y = b.user;
  if (!x || !y) return x === y;
  return (
    x.id === y.id &&
    x.displayName === y.displayName &&
    x.roleId === y.roleId &&
    x.roleName === y.roleName &&
    x.permissions.length === y.permissions.length &&
    x.permissions.every((p, i) => p === y.permissions[i])
  );
}

/** The signed-in person, or null. */
export function useUser(): SessionUser | null {
  return useSession((s) => s.session?.user ?? null);
}

/** Whether the signed-in person's role holds the permission. The UI hides what they cannot do. */
export function useCan(permission: Permission): boolean {
  return useSession((s) => s.session?.user?.permissions.includes(permission) ?? false);
}

/** The school's currency (every ledger amount on this computer is in it). */
export function useCurrency(): string {
  return useSession((s) => s.info?.currency ?? 'KES');
}
