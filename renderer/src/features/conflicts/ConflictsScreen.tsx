/** Conflicts to review (issue 5). */
export function ConflictsScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="conflicts-title">
        <div className="screen-head">
          <h2 id="conflicts-title">Conflicts to review</h2>
        </div>
      </section>
    </main>
  );
}
