/** Attendance (issue 5). */
export function AttendanceScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="attendance-title">
        <div className="screen-head">
          <h2 id="attendance-title">Attendance</h2>
        </div>
      </section>
    </main>
  );
}
