import { useEffect, useState } from 'react';
import { useSession, useUser } from './features/session/store';
import { SignIn } from './features/session/SignIn';
import { Enrol } from './features/session/Enrol';
import { ChangePasswordDialog } from './features/session/ChangePassword';
import { startSyncPolling, useSync } from './features/sync/store';
import { StatusBar } from './features/sync/StatusBar';
import { SyncScreen } from './features/sync/SyncScreen';
import { SyncBanner } from './features/sync/SyncBanner';
import { useBanner, useBannerContent } from './features/sync/banner';
import { useStudents } from './features/students/store';
import { StudentsScreen } from './features/students/StudentsScreen';
import { OfficeScreen } from './features/office/OfficeScreen';
import { ClassesScreen } from './features/classes/ClassesScreen';
import { AttendanceScreen } from './features/attendance/AttendanceScreen';
import { ReportsScreen } from './features/reports/ReportsScreen';
import { CalendarScreen } from './features/calendar/CalendarScreen';
import { MessagesScreen } from './features/messages/MessagesScreen';
import { ConflictsScreen } from './features/conflicts/ConflictsScreen';
import { FeesScreen } from './features/fees/FeesScreen';
import { BursaryScreen } from './features/bursary/BursaryScreen';
import { useBursary } from './features/bursary/store';
import { useBursaryRefs } from './features/bursary/refs';
import { PrintScreen } from './features/print/PrintScreen';
import { leavePrint, usePrintRoute } from './features/print/route';
import { useFeeCategories } from './features/fees/store';
import { RolesScreen } from './features/roles/RolesScreen';
import { StaffScreen } from './features/staff/StaffScreen';
import { LoginsScreen } from './features/logins/LoginsScreen';
import { DevicesScreen } from './features/devices/DevicesScreen';
import { AuditScreen } from './features/audit/AuditScreen';
import { AttentionScreen } from './features/attention/AttentionScreen';
import { NavTabs } from './features/nav/NavTabs';
import { useNav } from './features/nav/store';
import { useNavCounts } from './features/nav/counts';
import { reachableWithoutTab, visibleScreens, type ScreenKey } from './features/nav/screens';

export function App() {
  const info = useSession((s) => s.info);
  const session = useSession((s) => s.session);
  const error = useSession((s) => s.error);
  const enrolled = useSession((s) => s.enrolled);
  const load = useSession((s) => s.load);
  const user = useUser();
  const userId = user?.id ?? null;

  useEffect(() => {
    void load();
  }, [load]);

  // Sync status is for signed-in staff only; poll while someone is signed in.
  useEffect(() => {
    if (!userId) return;
    return startSyncPolling();
  }, [userId]);

  // A repair of this computer's database is news to whoever signs in next.
  useEffect(() => {
    if (userId) void useBanner.getState().loadRecovery();
  }, [userId]);

  // Whoever signs in next starts afresh: no search, no student, the first screen.
  useEffect(() => {
    if (userId) return;
    useStudents.getState().reset();
    useFeeCategories.getState().reset();
    useBursary.getState().reset();
    useBursaryRefs.getState().reset();
    useNav.getState().go('students');
    useNavCounts.getState().reset();
    useSync.setState({ status: null, error: null });
    useBanner.getState().reset();
  }, [userId]);

  // A sync can change this person's role (or disable them): re-read the session when it moves on.
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);
  useEffect(() => {
    if (userId && lastSyncAt) void useSession.getState().refreshSession();
  }, [userId, lastSyncAt]);

  // Unread messages and conflicts to review arrive with a sync (or are sent from here).
  const pending = useSync((s) => s.status?.pending);
  useEffect(() => {
    if (userId) void useNavCounts.getState().refresh();
  }, [userId, lastSyncAt, pending]);

  const ready = info !== null && session !== null;
  const signedIn = ready && user !== null && enrolled !== false;
  const banner = useBannerContent();
  const openSync = () => {
    leavePrint();
    useNav.getState().go('sync');
  };

  return (
    <div className={signedIn ? `app has-nav${banner ? ' has-banner' : ''}` : 'app'}>
      <Header />
      {signedIn && <SideNav />}
      {signedIn && banner && <SyncBanner content={banner} onOpenSync={openSync} />}

      {enrolled === false ? (
        <Enrol />
      ) : !ready ? (
        <main className="app-main app-main-single">
          {error ? (
            <div className="notice notice-error" role="alert">
              <p>Schoolhouse could not open: {error.message}</p>
              <button type="button" onClick={() => void load()}>
                Try again
              </button>
            </div>
          ) : (
            <p className="muted">Opening Schoolhouse…</p>
          )}
        </main>
      ) : user ? (
        <Screen currency={info.currency} />
      ) : (
        <SignIn />
      )}

      {ready && user && (
        <StatusBar
          onOpenAttention={() => {
            leavePrint();
            useNav.getState().go('attention');
          }}
          onOpenSync={openSync}
        />
      )}
    </div>
  );
}

function useCurrentScreen() {
  const user = useUser();
  const wanted = useNav((s) => s.screen);
  const needsAttention = useSync((s) => s.status?.needsAttention ?? 0);
  const screens = visibleScreens(user?.permissions ?? [], needsAttention);
  // If the role lost the screen being shown (say at a sync), fall back to the first it has.
  // "Needs attention" stays open without its tab, to show what became of the last item.
  const current: ScreenKey =
    screens.some((s) => s.key === wanted) || reachableWithoutTab(wanted) ? wanted : (screens.find((s) => !s.onlyWithAttention)?.key ?? 'roles');
  return { screens, current, needsAttention };
}

function Screen({ currency }: { currency: string }) {
  const { current } = useCurrentScreen();
  // A receipt or statement to print takes the place of the screen; Back returns to it.
  const print = usePrintRoute();
  if (print) return <PrintScreen route={print} />;
  switch (current) {
    case 'office':
      return <OfficeScreen />;
    case 'classes':
      return <ClassesScreen />;
    case 'attendance':
      return <AttendanceScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'calendar':
      return <CalendarScreen />;
    case 'messages':
      return <MessagesScreen />;
    case 'conflicts':
      return <ConflictsScreen />;
    case 'students':
      return <StudentsScreen currency={currency} />;
    case 'bursary':
      return <BursaryScreen />;
    case 'fees':
      return <FeesScreen />;
    case 'staff':
      return <StaffScreen />;
    case 'roles':
      return <RolesScreen />;
    case 'logins':
      return <LoginsScreen />;
    case 'devices':
      return <DevicesScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'attention':
      return <AttentionScreen />;
    case 'sync':
      return <SyncScreen />;
  }
}

function Header() {
  const info = useSession((s) => s.info);
  const offline = useSession((s) => s.session?.offline ?? false);
  const signOut = useSession((s) => s.signOut);
  const user = useUser();
  const [changingPassword, setChangingPassword] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  return (
    <header className="app-header">
      <div className="header-top">
        <h1 className="school-name" data-testid="school-name">
          {info?.schoolName ?? 'Schoolhouse'}
        </h1>
        {info && <span className="device-name">{info.deviceName}</span>}
        <span className="header-spacer" />
        {user && (
          <div className="header-user">
            <span className="signed-in-user" data-testid="signed-in-user">
              <span className="user-name">{user.displayName}</span>
              <span className="user-role"> · {user.roleName}</span>
            </span>
            {offline && (
              <span
                className="offline-signin"
                data-testid="offline-signin"
                title="The school server could not be reached, so your password was checked against the copy on this computer."
              >
                Signed in on this computer while offline
              </span>
            )}
            <button type="button" className="header-button" onClick={() => setChangingPassword(true)}>
              Change password
            </button>
            <button
              type="button"
              className="header-button"
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                void signOut().finally(() => setSigningOut(false));
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </div>
      {changingPassword && <ChangePasswordDialog onClose={() => setChangingPassword(false)} />}
    </header>
  );
}

function SideNav() {
  const go = useNav((s) => s.go);
  const { screens, current, needsAttention } = useCurrentScreen();
  const unreadMessages = useNavCounts((s) => s.unreadMessages);
  const openConflicts = useNavCounts((s) => s.openConflicts);
  return (
    <NavTabs
      screens={screens}
      current={current}
      onGo={(screen) => {
        leavePrint();
        go(screen);
      }}
      badges={{ attention: needsAttention, messages: unreadMessages, conflicts: openConflicts }}
    />
  );
}
