/** Report cards (issue 5). */
export function ReportsScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="reports-title">
        <div className="screen-head">
          <h2 id="reports-title">Report cards</h2>
        </div>
      </section>
    </main>
  );
}
