/** Calendar (issue 5). */
export function CalendarScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="calendar-title">
        <div className="screen-head">
          <h2 id="calendar-title">Calendar</h2>
        </div>
      </section>
    </main>
  );
}
