/** Office dashboard (issue 5). */
export function OfficeScreen() {
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="office-title">
        <div className="screen-head">
          <h2 id="office-title">Office dashboard</h2>
        </div>
      </section>
    </main>
  );
}
